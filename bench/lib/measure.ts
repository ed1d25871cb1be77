import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

// Small timing helpers for the benchmarks: warm up, then report the median and the 90th
// percentile of many runs, which are steadier than a mean on a shared machine.

export interface Timing {
  median: number;
  p90: number;
  /** Median CPU time of this process per run: on a busy machine, closer to the unloaded wall time. */
  cpu: number;
  runs: number;
}

export function time(fn: () => unknown, { runs = 30, warmup = 5 } = {}): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { median: samples[Math.floor(runs / 2)], p90: samples[Math.floor(runs * 0.9)], cpu: cpu[Math.floor(runs / 2)], runs };
}

/**
 * CPU time of a process's main thread so far (this process's by default; a language server's
 * from outside), in ms, or NaN where it cannot be read (Linux only: the first field of
 * /proc/<pid>/task/<pid>/schedstat, nanoseconds on a CPU). Unlike process.cpuUsage it leaves
 * out V8's background threads: right after a full collection they sweep the whole heap
 * concurrently, which charged an analysis of 30 ms on the main thread 90 ms of process CPU
 * (bench/incremental.ts). A request waits for the main thread, and around a request on a cached
 * analysis the server's main thread does that request's work alone: on a shared machine it
 * swings far less than the round trip's wall time.
 */
export function mainThreadCpu(pid = process.pid): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** A process's resident memory now and at its peak (VmRSS, VmHWM in /proc/<pid>/status), in MB. */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

/** The machine's load average over 1, 5 and 15 minutes, as every benchmark prints it beside its figures (the machine is shared). */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(1)).join(' ');
}

export function ms(x: number): string {
  return x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`;
}

/** Prints rows as an aligned table. */
export function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
