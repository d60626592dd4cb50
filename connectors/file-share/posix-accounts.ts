import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Names of user and group ids, from passwd/group-style files (`name:x:id:...`) and, for ids
 * they lack, `getent` (which asks NSS: LDAP or sssd on machines joined to a directory).
 * Each id is looked up once per instance: one instance per run keeps a rename visible on the next run.
 */
export class PosixAccounts {
  private users: Map<number, string> | undefined;
  private groups: Map<number, string> | undefined;
  private readonly asked = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly passwdFile: string,
    private readonly groupFile: string,
  ) {}

  async userName(uid: number): Promise<string | undefined> {
    this.users ??= await readIdFile(this.passwdFile);
    return this.users.get(uid) ?? this.getent('passwd', uid);
  }

  async groupName(gid: number): Promise<string | undefined> {
    this.groups ??= await readIdFile(this.groupFile);
    return this.groups.get(gid) ?? this.getent('group', gid);
  }

  private getent(database: 'passwd' | 'group', id: number): Promise<string | undefined> {
    const key = `${database}:${id}`;
    let answer = this.asked.get(key);
    if (!answer) {
      answer = run('getent', [database, String(id)], { timeout: 5000 }).then(
        ({ stdout }) => stdout.split(':')[0]?.trim() || undefined,
        () => undefined,
      );
      this.asked.set(key, answer);
    }
    return answer;
  }
}

/** `name:password:id:...` lines; a missing file is an empty map (the ids then show as numbers). */
export async function readIdFile(file: string): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , id] = line.split(':');
    const number = Number(id);
    if (name && id !== undefined && id !== '' && Number.isInteger(number) && !names.has(number)) names.set(number, name);
  }
  return names;
}
