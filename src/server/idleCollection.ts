import { getHeapStatistics } from 'node:v8';

// A full collection once the server has been quiet for a while, when V8's heap has grown well
// past what the last one left. After full analyses of megabyte-long texts (a file's whole text
// replaced by another one, again and again) V8 keeps the heap it grew to: 316-390 MB resident
// with 72 MB of it live, unchanged after 15 s of quiet (its memory reducer did not run). One
// full collection then gives it back (327 → 210 MB, 71 ms). It runs only in quiet (no message
// for QUIET_MS), so not while the user types (a keystroke that comes during it waits for it,
// once), and only after such growth, so a server that simply holds big analyses is not
// collected again and again (docs/benchmarks.md, "Whole texts replaced"). The tsserver of
// TypeScript collects when idle for the same reason.

/** No message for this long: the user has stopped typing. */
export const QUIET_MS = 3000;
/** Below this much committed heap there is nothing worth a pause to give back. */
export const FLOOR_BYTES = 192 * 1024 * 1024;
/** Growth of the committed heap since the last collection here that makes another worth it. */
export const GROWTH_BYTES = 64 * 1024 * 1024;

/** V8's committed heap (what the process holds for it), in bytes. */
export function committedHeap(): number {
  return getHeapStatistics().total_heap_size;
}

export class IdleCollection {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The committed heap right after the last collection here. */
  private after = 0;

  constructor(
    private readonly collect: () => void,
    private readonly committed: () => number = committedHeap,
    private readonly quietMs = QUIET_MS,
  ) {}

  /** A message came in: the quiet starts again. */
  activity(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.quiet(), this.quietMs);
    // Never what keeps the process alive once the client has gone.
    this.timer.unref?.();
  }

  private quiet(): void {
    this.timer = undefined;
    if (this.committed() < Math.max(FLOOR_BYTES, this.after + GROWTH_BYTES)) return;
    this.collect();
    this.after = this.committed();
  }
}
