// Draws the placeholder app icons Teams requires (no network, no image library):
// color.png 192x192 (full colour) and outline.png 32x32 (white on transparent).
// Run `node make-icons.mjs` here to redraw them; replace them with your own artwork freely.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** RGBA PNG from a function of (x, y) in [0, 1) returning [r, g, b, a]. */
function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, no interlace
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A "D": a vertical bar and a half ring, in a unit square. */
function isGlyph(x, y) {
  const bar = x >= 0.28 && x <= 0.4 && y >= 0.22 && y <= 0.78;
  const dx = x - 0.4;
  const dy = y - 0.5;
  const radius = Math.hypot(dx * 1.05, dy);
  const ring = dx >= 0 && radius <= 0.28 && radius >= 0.17;
  const caps = (y >= 0.22 && y <= 0.33 || y >= 0.67 && y <= 0.78) && x >= 0.28 && x <= 0.4 + 0.0001;
  return bar || ring || caps;
}

const accent = [0x1f, 0x6f, 0xb2, 255];
const white = [255, 255, 255, 255];
writeFileSync(new URL('color.png', import.meta.url), png(192, (x, y) => (isGlyph(x, y) ? white : accent)));
writeFileSync(new URL('outline.png', import.meta.url), png(32, (x, y) => (isGlyph(x, y) ? white : [0, 0, 0, 0])));
