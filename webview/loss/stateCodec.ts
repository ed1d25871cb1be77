// The loss panel's saved state. VS Code's getState/setState (and a serializer's restore) keep it
// as JSON; a 100,000-epoch run as JSON records is ~8 MB and seconds of stringify. Columns are
// therefore saved as little-endian Float64 bytes in base64 (lossless, 10.7 characters a value)
// and runs beyond a size budget are left out, newest kept first: the host can resend them from
// .seqmodel/runs/ when the panel says it is ready.
import type { RunRecord } from '../protocol';
import { type RunHeader, runHeader, type RunStore } from './runStore';

export interface SavedRun extends RunHeader {
  epochCount: number;
  /** Key → base64 of `epochCount` little-endian Float64 values (NaN for gaps). */
  columns: Record<string, string>;
}

/** Characters of encoded columns kept; about 1.2 million values. */
export const STATE_BUDGET = 12_000_000;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeColumn(values: Float64Array, length: number): string {
  const copy = new Float64Array(length);
  copy.set(values.subarray(0, length));
  const bytes = new Uint8Array(copy.buffer);
  if (!littleEndian) swapBytes(bytes);
  let binary = '';
  // String.fromCharCode over chunks: one call per byte would be 8× slower, one call for all
  // bytes overflows the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function decodeColumn(text: string): Float64Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (!littleEndian) swapBytes(bytes);
  return new Float64Array(bytes.buffer, 0, Math.floor(bytes.length / 8));
}

function swapBytes(bytes: Uint8Array): void {
  for (let i = 0; i + 8 <= bytes.length; i += 8) bytes.subarray(i, i + 8).reverse();
}

/** Encodes the store's runs, newest first while within `budget`, in their original order. */
export function saveRuns(store: RunStore, budget = STATE_BUDGET): SavedRun[] {
  const runs = [...store.runs.values()];
  const kept: SavedRun[] = [];
  let used = 0;
  for (let r = runs.length - 1; r >= 0; r--) {
    const run = runs[r];
    const columns: Record<string, string> = {};
    let size = 0;
    for (const [key, column] of run.columns) {
      columns[key] = encodeColumn(column.values, run.epochCount);
      size += columns[key].length;
    }
    if (used + size > budget) continue;
    used += size;
    kept.unshift({ ...runHeader(run), epochCount: run.epochCount, columns });
  }
  return kept;
}

/** Turns saved runs back into records the store loads. */
export function savedToRecord(saved: SavedRun): RunRecord {
  const decoded = Object.entries(saved.columns).map(([key, text]) => [key, decodeColumn(text)] as const);
  const epochs: RunRecord['epochs'] = [];
  for (let i = 0; i < saved.epochCount; i++) {
    const logs: Record<string, number> = {};
    let any = false;
    for (const [key, values] of decoded) {
      if (i < values.length && !Number.isNaN(values[i])) {
        logs[key] = values[i];
        any = true;
      }
    }
    if (any) epochs.push({ epoch: i + 1, logs });
  }
  return { ...runHeader(saved), epochs };
}
