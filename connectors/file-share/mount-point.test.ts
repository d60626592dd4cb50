import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { isMountPoint } from './mount-point.js';

describe('isMountPoint', () => {
  it('knows the root is one and a plain folder is not', async () => {
    const folder = await temporaryDirectory('docent-mount-');
    expect(await isMountPoint('/')).toBe(true);
    expect(await isMountPoint(folder)).toBe(false);
  });

  it('reads the mount points from mountinfo, undoing its octal escapes', async () => {
    const base = await temporaryDirectory('docent-mount-');
    const share = path.join(base, 'hr share');
    await mkdir(share);
    const mountInfo = path.join(base, 'mountinfo');
    await writeFile(mountInfo, `22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n97 22 0:52 / ${share.replaceAll(' ', '\\040')} rw,relatime shared:60 - cifs //files/hr rw\n`);
    expect(await isMountPoint(share, mountInfo)).toBe(true);
    expect(await isMountPoint(base, mountInfo)).toBe(false);
  });

  it('compares devices with the parent folder where there is no mountinfo', async () => {
    const folder = await temporaryDirectory('docent-mount-');
    const missing = path.join(folder, 'no-mountinfo');
    expect(await isMountPoint('/', missing)).toBe(true);
    expect(await isMountPoint(folder, missing)).toBe(false);
    // /proc is its own file system wherever it exists.
    expect(await isMountPoint('/proc', missing)).toBe(true);
  });
});
