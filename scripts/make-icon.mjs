// Draws the extension icon (images/icon.png, 128×128) without any image library: a rounded
// square with three recurrent cells unrolled in time, each feeding the next, and the loop
// arrow above them. Run `node scripts/make-icon.mjs` after changing the drawing.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4; // supersampling per axis, for smooth edges

/** Signed distance to a rounded box centred at (cx, cy) with half sizes (hw, hh) and radius r. */
function roundBox(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
/** Distance to the segment (ax, ay)-(bx, by). */
function segment(x, y, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

const cells = [28, 64, 100];
function shade(x, y) {
  // Background: rounded square with a diagonal blue → violet gradient.
  if (roundBox(x, y, 64, 64, 62, 62, 22) > 0) return null;
  const t = (x + y) / 256;
  let c = [30 + t * (124 - 30), 58 + t * (58 - 58), 138 + t * (237 - 138)];
  const white = [255, 255, 255];
  const amber = [251, 191, 36];
  // Arrows between cells and the input/output stubs.
  for (let i = 0; i < cells.length - 1; i++) {
    if (segment(x, y, cells[i] + 12, 72, cells[i + 1] - 14, 72) < 2.6) c = amber;
    if (segment(x, y, cells[i + 1] - 14, 72, cells[i + 1] - 20, 66) < 2.6 || segment(x, y, cells[i + 1] - 14, 72, cells[i + 1] - 20, 78) < 2.6) c = amber;
  }
  for (const cx of cells) {
    if (segment(x, y, cx, 98, cx, 86) < 2.4) c = white; // input x_t
    if (segment(x, y, cx, 58, cx, 46) < 2.4) c = white; // output h_t
  }
  // The recurrence loop over the middle cell.
  const r = Math.hypot(x - 64, y - 38);
  if (Math.abs(r - 14) < 2.6 && y < 40) c = amber;
  for (const cx of cells) {
    const d = roundBox(x, y, cx, 72, 12, 12, 4);
    if (d < 0) c = d > -3 ? white : [15, 23, 42];
  }
  return c;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a += 1;
      }
    }
    const n = SS * SS;
    const o = 1 + px * 4;
    row[o] = a ? Math.round(r / a) : 0;
    row[o + 1] = a ? Math.round(g / a) : 0;
    row[o + 2] = a ? Math.round(b / a) : 0;
    row[o + 3] = Math.round((a / n) * 255);
  }
  rows.push(row);
}

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`images/icon.png: ${png.length} bytes`);
