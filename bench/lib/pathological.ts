import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './generate';

// Documents built to make a language server do unbounded work: each is about `size`
// characters (1 MB by default) of one hostile shape. The pathological benchmark and the
// robustness tests share them, so the shapes the figures prove are the shapes the tests pin.

export interface Pathological {
  name: string;
  text: string;
}

const FORECAST = readFileSync(join(__dirname, '../../examples/forecast.seqmodel'), 'utf8');

/** A small seeded generator (mulberry32): the same bytes on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fill(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.floor(size / unit.length)));
}

/** Units made from their index, joined until they reach `size` characters. */
function numbered(unit: (i: number) => string, size: number): string {
  const parts: string[] = [];
  for (let i = 0, length = 0; length < size; i++) {
    parts.push(unit(i));
    length += parts[i].length;
  }
  return parts.join('');
}

export function pathologicalDocuments(size = 1 << 20): Pathological[] {
  const random = seeded(10);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  const printable = Array.from({ length: size }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('');
  const lines = Math.floor(size / 420);
  return [
    { name: 'realistic file', text: generate(Math.floor(size / 30)).slice(0, size) },
    { name: 'forecast + @ run', text: FORECAST + fill('@', size) },
    { name: 'forecast + NUL bytes', text: FORECAST + fill('\0', size) },
    { name: 'random bytes (UTF-8)', text: bytes.toString('utf8') },
    { name: 'random printable', text: printable },
    { name: 'spaces in a string', text: `model m {\n  input(3, 1)\n  LSTM(4, name="${fill(' ', size)}")\n}\n` },
    { name: '{ repeated', text: 'model m ' + fill('{', size) },
    { name: '} repeated', text: fill('}', size) },
    { name: '}{ pairs', text: 'model m {' + fill('}{', size) },
    { name: '( then lines', text: fill('(', size / 2) + fill('\nLSTM(4)', size / 2) },
    { name: '10,000 ( then 420 lines', text: '('.repeat(10000) + '\nLSTM(4)'.repeat(420) },
    { name: '[ repeated', text: 'let x = ' + fill('[', size) },
    { name: 'nested ( )', text: 'let x = ' + '('.repeat(size / 2 - 8) + '1' + ')'.repeat(size / 2 - 8) },
    { name: 'newlines (LF)', text: fill('\n', size) },
    { name: 'CR only', text: fill('\r', size) },
    { name: 'CRLF layers', text: 'model m {\r\n  input(3, 1)\r\n' + fill('  Dense(1)\r\n', size) + '}\r\n' },
    { name: 'one model, many layers', text: 'model m {\n  input(3, 1)\n' + fill('  Dense(1)\n', size) + '}\n' },
    { name: 'one line of layers', text: 'model m { input(3, 1); ' + fill('Dense(1); ', size) + '}' },
    { name: 'long sum', text: 'let x = 1' + fill(' + 1', size) },
    { name: 'unterminated strings', text: fill('"abc\n', size) },
    { name: 'comment', text: '#' + fill('#', size) },
    { name: 'identifiers', text: fill('abc ', size) },
    { name: 'commas in a call', text: 'model m {\n  input(3, 1)\n  Dense(' + fill('1,', size) + ')\n}\n' },
    { name: 'lines of let', text: Array.from({ length: Math.floor(size / 16) }, (_, i) => `let x${i} = ${i}`).join('\n') },
    { name: 'backslashes', text: fill('"\\\\\\', size) },
    { name: 'lines of junk', text: fill('@@ x\n', size) },
    { name: 'many small models', text: fill('model m {\n  Dense(1)\n}\n', size) },
    // Each model its own name: an outline entry and code lenses each (the same name over again is one model).
    { name: 'many named models', text: numbered((i) => `model m${i} {\n  Dense(1)\n}\n`, size) },
  ];
}
