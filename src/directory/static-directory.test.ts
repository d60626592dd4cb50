import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../core/write-file-atomically.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { StaticDirectory } from './static-directory.js';

const directoryFile = `
users:
  - id: ann
    displayName: Ann Lee
    email: Ann.Lee@example.com
    upn: ann@corp.example.com
    slack: U0ANN
    teams: 11111111-aaaa-bbbb-cccc-000000000001
    groups: [payroll]
  - id: bob
    email: [bob@example.com, robert@example.com]
    web: bob.builder
    groups: [engineering]
  - id: cat
    email: cat@example.com
groups:
  payroll: { memberOf: [hr] }
  hr: { memberOf: [staff] }
  engineering: { memberOf: [staff] }
  staff: { memberOf: [payroll] }   # a cycle: tolerated
`;

async function fileWith(content: string): Promise<string> {
  const file = path.join(await temporaryDirectory(), 'directory.yaml');
  await writeFile(file, content);
  return file;
}

describe('StaticDirectory', () => {
  it('finds a person by platform id, e-mail or UPN and expands nested groups', async () => {
    const directory = await StaticDirectory.open(await fileWith(directoryFile));
    const ann = await directory.resolve({ platform: 'slack', userId: 'U0ANN' });
    expect(ann).toEqual({
      found: true,
      displayName: 'Ann Lee',
      principals: ['user:ann', 'user:ann.lee@example.com', 'user:ann@corp.example.com', 'group:payroll', 'group:hr', 'group:staff'],
    });
    expect(await directory.resolve({ platform: 'slack', userId: 'U0OTHER', email: 'ann.lee@EXAMPLE.com' })).toEqual(ann);
    expect(await directory.resolve({ platform: 'teams', userId: '11111111-AAAA-bbbb-cccc-000000000001' })).toEqual(ann);
    expect(await directory.resolve({ platform: 'teams', userId: 'unknown-object-id', upn: 'ann@corp.example.com' })).toEqual(ann);
    expect((await directory.resolve({ platform: 'web', userId: 'bob.builder' })).principals).toEqual(['user:bob', 'user:bob@example.com', 'user:robert@example.com', 'group:engineering', 'group:staff', 'group:payroll', 'group:hr']);
    expect((await directory.resolve({ platform: 'web', userId: 'cat' })).principals).toEqual(['user:cat', 'user:cat@example.com']);
  });

  it("does not take one platform's id for another's, and knows nothing of strangers", async () => {
    const directory = await StaticDirectory.open(await fileWith(directoryFile));
    expect(await directory.resolve({ platform: 'teams', userId: 'U0ANN' })).toEqual({ found: false, principals: [] });
    expect(await directory.resolve({ platform: 'slack', userId: 'U0GUEST', email: 'guest@partner.example' })).toEqual({ found: false, principals: [] });
  });

  it('refuses an identity that points at two people', async () => {
    const directory = await StaticDirectory.open(await fileWith(directoryFile));
    await expect(directory.resolve({ platform: 'slack', userId: 'U0ANN', email: 'bob@example.com' })).rejects.toMatchObject({ code: 'identity_ambiguous' });
  });

  it('rejects a file that gives one identity to two users, or is not a directory', async () => {
    await expect(StaticDirectory.open(await fileWith('users:\n  - { id: a, email: x@example.com }\n  - { id: b, email: X@example.com }\n'))).rejects.toThrow(/email:x@example.com belongs to both a and b/);
    await expect(StaticDirectory.open(await fileWith('users:\n  - { name: a }\n'))).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringMatching(/users\.0\.id/) });
    await expect(StaticDirectory.open(path.join(await temporaryDirectory(), 'missing.yaml'))).rejects.toMatchObject({ code: 'config_invalid' });
  });

  it('reads the file again when it changes, and fails closed while it is broken', async () => {
    const file = await fileWith(directoryFile);
    const directory = await StaticDirectory.open(file);
    expect((await directory.resolve({ platform: 'slack', userId: 'U0ANN' })).principals).toContain('group:hr');
    await writeFileAtomically(file, directoryFile.replace('groups: [payroll]', 'groups: []'));
    expect((await directory.resolve({ platform: 'slack', userId: 'U0ANN' })).principals).toEqual(['user:ann', 'user:ann.lee@example.com', 'user:ann@corp.example.com']);
    await writeFileAtomically(file, 'users: [');
    await expect(directory.resolve({ platform: 'slack', userId: 'U0ANN' })).rejects.toMatchObject({ code: 'directory_unavailable', retryable: true });
  });
});
