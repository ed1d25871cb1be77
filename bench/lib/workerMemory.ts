// The training worker's peak memory, measured from outside on the real process (dist/worker.js,
// as the editor and the CLI fork it): Linux's high-water marks in /proc/<pid>/status, VmHWM for
// the resident set (wasm memory and tfjs's buffers included, which the V8 heap figures miss)
// and VmPeak for the address space. Sampled while it runs, since a zombie has none to read.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { StartMessage } from '../../src/training/protocol';
import { startTraining } from '../../src/training/runner';

export interface WorkerPeak {
  /** Peak resident set size, MB. */
  rssMb: number;
  /** Peak virtual size, MB. */
  virtualMb: number;
  seconds: number;
}

const WORKER = path.join(__dirname, '..', '..', 'dist', 'worker.js');

function highWaterMarks(pid: number): { rss: number; virtual: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = kb('VmHWM');
    return Number.isFinite(rss) ? { rss, virtual: kb('VmPeak') } : null;
  } catch {
    return null;
  }
}

/**
 * Trains the job in the built worker (with `env` added to its environment); a string says why it
 * could not be measured.
 */
export async function workerPeak(job: StartMessage, env: NodeJS.ProcessEnv = {}): Promise<WorkerPeak | string> {
  if (!existsSync('/proc/self/status')) return 'no /proc here: peak memory is measured on Linux only';
  if (!existsSync(WORKER)) return `no ${WORKER}: run npm run build (npm run bench does)`;
  const { type: _start, ...request } = job;
  const run = startTraining(request, { workerPath: WORKER, env });
  let peak = { rss: 0, virtual: 0 };
  const sample = () => {
    const pid = run.pid;
    const marks = pid ? highWaterMarks(pid) : null;
    if (marks) peak = { rss: Math.max(peak.rss, marks.rss), virtual: Math.max(peak.virtual, marks.virtual) };
  };
  const timer = setInterval(sample, 50);
  // The final message arrives while the worker still lives: its marks are the run's whole peak.
  run.on('done', sample);
  run.on('error', sample);
  const outcome = await run.result;
  clearInterval(timer);
  if (outcome.status !== 'done') return `the worker did not finish: ${JSON.stringify(outcome).slice(0, 300)}`;
  return { rssMb: peak.rss / 1024, virtualMb: peak.virtual / 1024, seconds: outcome.result.seconds };
}
