import type { BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { everyone, groupPrincipal, userPrincipal, type Principal } from '../../src/core/access.js';
import type { PosixAccounts } from './posix-accounts.js';

/** Who one permission bit triplet lets through: everyone (other), the group, the owner. */
interface Gate {
  everyone: boolean;
  group?: Principal;
  user?: Principal;
}

/** Where a file's readers come from: its own read bits and the search bits of the folders above it. */
export interface FileReaders {
  access: Principal[];
  /** Changes whenever a folder's search bits, owner or group change: part of the file's version, so readers are applied again. */
  foldersFingerprint: string;
}

/**
 * The readers of a file on a POSIX share, as the file server decides them: a person reads
 * a file only if its read bit lets them and every folder above it, below the share's
 * root, lets them search it (the x bit). A file open to the world inside a folder only
 * its group may enter is readable by that group alone.
 *
 * The answer is a list of principals of which holding any one is enough (how retrieval
 * filters), so it keeps the principals every level lets through: `everyone` when all do;
 * a group or user named at every level where not everyone may pass. Group membership is
 * not known here, so a user let through a folder only as a member of its group is left
 * out: the list can be narrower than the server's rules, never wider.
 *
 * Folders are stat'ed once per instance (one per load).
 */
export class PosixReaders {
  private readonly folders = new Map<string, Promise<{ gate: Gate; fingerprint: string }>>();

  constructor(
    private readonly root: string,
    private readonly accounts: PosixAccounts,
  ) {}

  async of(relative: string, status: BigIntStats): Promise<FileReaders> {
    const folderPaths: string[] = [];
    for (let folder = path.posix.dirname(relative); folder !== '.' && folder !== '/'; folder = path.posix.dirname(folder)) folderPaths.unshift(folder);
    const folders = await Promise.all(folderPaths.map((folder) => this.folder(folder)));
    const file = await this.gate(status, 0o004, 0o040, 0o400);
    return { access: combine([...folders.map((folder) => folder.gate), file]), foldersFingerprint: folders.map((folder) => folder.fingerprint).join('/') };
  }

  private folder(relative: string): Promise<{ gate: Gate; fingerprint: string }> {
    let known = this.folders.get(relative);
    if (!known) {
      known = stat(path.join(this.root, relative), { bigint: true }).then(async (status) => ({
        gate: await this.gate(status, 0o001, 0o010, 0o100),
        fingerprint: `${(Number(status.mode) & 0o111).toString(8)}.${status.uid}.${status.gid}`,
      }));
      this.folders.set(relative, known);
    }
    return known;
  }

  private async gate(status: BigIntStats, otherBit: number, groupBit: number, ownerBit: number): Promise<Gate> {
    const mode = Number(status.mode);
    const gate: Gate = { everyone: (mode & otherBit) !== 0 };
    if (mode & groupBit) {
      const gid = Number(status.gid);
      gate.group = groupPrincipal((await this.accounts.groupName(gid)) ?? String(gid));
    }
    if (mode & ownerBit) {
      const uid = Number(status.uid);
      gate.user = userPrincipal((await this.accounts.userName(uid)) ?? String(uid));
    }
    return gate;
  }
}

/** The principals every gate lets through, in the order everyone, groups, users. */
function combine(gates: Gate[]): Principal[] {
  if (gates.every((gate) => gate.everyone)) {
    // Still listed: the principals the file names, as before, so that narrowing a folder later changes only what it must.
    const file = gates.at(-1)!;
    return [everyone, ...(file.group ? [file.group] : []), ...(file.user ? [file.user] : [])];
  }
  const named = [...new Set(gates.flatMap((gate) => [gate.group, gate.user]).filter((principal): principal is Principal => principal !== undefined))];
  const passes = (principal: Principal, gate: Gate): boolean => gate.everyone || gate.group === principal || gate.user === principal;
  const groups = named.filter((principal) => principal.startsWith('group:'));
  const users = named.filter((principal) => principal.startsWith('user:'));
  return [...groups, ...users].filter((principal) => gates.every((gate) => passes(principal, gate)));
}
