import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { createAccessResolver } from './create-access-resolver.js';
import { createDirectory } from './create-directory.js';

async function configFile(yaml: string): Promise<{ file: string; folder: string }> {
  const folder = await temporaryDirectory();
  const file = path.join(folder, 'docent.yaml');
  await writeFile(file, yaml);
  return { file, folder };
}

describe('directory settings', () => {
  it('reads LDAP settings from the environment and takes the bind password from its own variable only', async () => {
    const { file } = await configFile('');
    const environment = {
      DOCENT_DIRECTORY_KIND: 'ldap',
      DOCENT_DIRECTORY_URL: 'ldaps://dc1.corp.example.com',
      DOCENT_DIRECTORY_BASE_DN: 'DC=corp,DC=example,DC=com',
      DOCENT_DIRECTORY_BIND_DN: 'CN=docent,OU=Service,DC=corp,DC=example,DC=com',
      DOCENT_DIRECTORY_BIND_PASSWORD: 'secret',
      DOCENT_DIRECTORY_CACHE_SECONDS: '60',
    };
    const config = loadConfig({ file, environment });
    expect(config.directory).toMatchObject({ kind: 'ldap', url: 'ldaps://dc1.corp.example.com', cacheSeconds: 60, groupAttribute: 'memberOf', userFilter: '(objectClass=person)' });
    expect(JSON.stringify(config)).not.toContain('secret');
    expect(config.channels).toEqual({ defaultAudience: 'common', maximumCommonMembers: 1000 });
    const directory = await createDirectory(config.directory, { environment });
    expect(directory.kind).toBe('ldap');
    await directory.close();

    const { DOCENT_DIRECTORY_BIND_PASSWORD: _, ...withoutPassword } = environment;
    await expect(createDirectory(config.directory, { environment: withoutPassword })).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('DOCENT_DIRECTORY_BIND_PASSWORD') });
  });

  it('names what a directory kind is missing', async () => {
    const { file } = await configFile('directory:\n  kind: static\n');
    expect(() => loadConfig({ file, environment: {} })).toThrow(/directory\.file: a static directory needs `file`/);
    const ldap = await configFile('directory:\n  kind: ldap\n  url: ldap://dc1\n');
    expect(() => loadConfig({ file: ldap.file, environment: {} })).toThrow(/directory\.baseDn/);
    const wrongUrl = await configFile('directory:\n  kind: ldap\n  url: http://dc1\n  baseDn: DC=x\n');
    expect(() => loadConfig({ file: wrongUrl.file, environment: {} })).toThrow(/directory\.url/);
  });

  it('builds the access resolver a serving process hands its chat surfaces', async () => {
    const { file, folder } = await configFile('');
    const directoryFile = path.join(folder, 'people.yaml');
    await writeFile(directoryFile, 'users:\n  - { id: ann, slack: U1, groups: [hr] }\n');
    const config = loadConfig({ file, environment: { DOCENT_DIRECTORY_KIND: 'static', DOCENT_DIRECTORY_FILE: directoryFile, DOCENT_DATA_DIR: folder, DOCENT_CHANNELS_DEFAULT_AUDIENCE: 'public' } });
    const resolver = await createAccessResolver(config);
    try {
      const question = await resolver.question({ text: 'q', asker: { platform: 'slack', userId: 'U1' }, conversation: { platform: 'slack', channelId: 'C1', visibility: 'shared' } });
      expect(question).toMatchObject({ asker: { id: 'slack:U1', principals: ['user:ann', 'group:hr'] }, audience: 'public' });
    } finally {
      await resolver.close();
    }
  });
});
