import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The app package an administrator uploads: checked against the Teams manifest schema's rules that matter here. */
const folder = path.join(process.cwd(), 'deploy', 'teams-app-manifest');
const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'));

/** Width, height and the RGBA pixels of an 8-bit RGBA PNG without interlacing (what make-icons.mjs writes). */
function readPng(file: string): { width: number; height: number; pixel(x: number, y: number): number[] } {
  const bytes = readFileSync(path.join(folder, file));
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  expect([bytes[24], bytes[25]]).toEqual([8, 6]);
  const data: Buffer[] = [];
  for (let offset = 8; offset < bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    if (bytes.toString('ascii', offset + 4, offset + 8) === 'IDAT') data.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  return { width, height, pixel: (x, y) => [...raw.subarray(y * (1 + width * 4) + 1 + x * 4, y * (1 + width * 4) + 5 + x * 4)] };
}

describe('Teams app manifest', () => {
  it('declares one bot for personal chats, teams and group chats, and nothing else', () => {
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ scopes: ['personal', 'team', 'groupChat'], supportsFiles: false, isNotificationOnly: false });
    for (const capability of ['staticTabs', 'configurableTabs', 'composeExtensions', 'connectors', 'webApplicationInfo', 'authorization', 'permissions', 'devicePermissions']) {
      expect(manifest[capability], capability).toBeUndefined();
    }
  });

  it('keeps within the schema limits on names, descriptions and commands', () => {
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(manifest.id).toMatch(guid);
    expect(manifest.bots[0].botId).toMatch(guid);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
    for (const url of Object.values(manifest.developer).slice(1)) expect(url).toMatch(/^https:\/\//);
    for (const command of manifest.bots[0].commandLists[0].commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('ships a 192x192 colour icon and a 32x32 outline icon that is white on transparent', () => {
    const color = readPng(manifest.icons.color);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(manifest.icons.outline);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [red, green, blue, alpha] = outline.pixel(x, y);
        if (alpha !== 0) expect([red, green, blue]).toEqual([255, 255, 255]);
      }
    }
    expect(outline.pixel(0, 0)[3]).toBe(0);
  });
});
