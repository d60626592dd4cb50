import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether `folder` is a mount point. Linux lists every mount in /proc/self/mountinfo
 * (bind mounts included, which share their parent's device); elsewhere a folder on
 * another device than its parent, or the root itself, is one.
 */
export async function isMountPoint(folder: string, mountInfoFile = '/proc/self/mountinfo'): Promise<boolean> {
  const resolved = await realpath(folder);
  const mounts = await readMountPoints(mountInfoFile);
  if (mounts) return mounts.has(resolved);
  const parent = path.dirname(resolved);
  if (parent === resolved) return true;
  const [own, above] = await Promise.all([stat(resolved, { bigint: true }), stat(parent, { bigint: true })]);
  return own.dev !== above.dev || own.ino === above.ino;
}

/** The mount points in a mountinfo file (fifth field, octal escapes such as `\040` for a space undone); undefined when it cannot be read. */
async function readMountPoints(file: string): Promise<Set<string> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const mounts = new Set<string>();
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field) mounts.add(field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))));
  }
  return mounts.size > 0 ? mounts : undefined;
}
