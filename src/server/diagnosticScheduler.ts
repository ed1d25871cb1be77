// Publishes diagnostics after the user pauses typing, never for a version that is no longer
// current: each change restarts its document's timer, and the version is read when the timer
// fires, so what is published describes the text the client has then (and carries its version).

export interface SchedulerHost {
  /** The current version of an open document, or undefined once it is closed. */
  version(uri: string): number | undefined;
  /** Analyses (or reuses the analysis of) the current version and publishes it, unless a newer version replaced it meanwhile. */
  publish(uri: string, version: number): void | Promise<void>;
  /** Clears a closed document's diagnostics. */
  clear(uri: string): void;
}

export class DiagnosticScheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly host: SchedulerHost,
    private readonly delayMs: number,
  ) {}

  /** On open: publish at once, the user expects to see the problems of a file they open. */
  now(uri: string): void {
    this.cancel(uri);
    this.run(uri);
  }

  /** On change: publish once the edits stop for `delayMs`. */
  schedule(uri: string): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.run(uri);
      }, this.delayMs),
    );
  }

  close(uri: string): void {
    this.cancel(uri);
    this.host.clear(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  private run(uri: string): void {
    const version = this.host.version(uri);
    if (version === undefined) return;
    void this.host.publish(uri, version);
  }
}
