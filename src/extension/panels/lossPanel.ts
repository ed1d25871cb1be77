import * as vscode from 'vscode';
import type { LayerTrainingPath } from '../../training/trainingPaths';
import type { EpochLogs, EpochRecord, HostToWebview, RunRecord, RunStartedMessage, RunStatus, WebviewToHost } from '../../../webview/protocol';
import { PanelHost, type PanelHostDeps } from './panelHost';
import { PanelSlot } from './panelSlot';
import { LOSS_PANEL } from './panelKinds';
import { recalledLossRuns, rememberLossRuns } from './panelMemory';

// The loss panel: live epochs of the running model(s), overlaid runs of "Train all and
// compare", and saved runs opened with "Open run". The host keeps every run it showed in this
// session, so a page that was hidden or reloaded gets them back whole (loadRuns) on `ready`.

/** Epochs arrive faster than a page should redraw: they are forwarded in batches this often. */
const FLUSH_MS = 100;
/** How often a running run is written to the workspace storage (see panelMemory.ts). */
const REMEMBER_MS = 2000;

export type StartedRun = Omit<RunRecord, 'status' | 'epochs'>;

export class LossPanel extends PanelHost {
  private static readonly slot = new PanelSlot(LOSS_PANEL, (panel, deps) => new LossPanel(panel, deps));
  /** Set by the training controller: the page's Stop button. */
  static onStop: ((runId: string) => void) | undefined;

  private readonly runs = new Map<string, RunRecord>();
  private readonly pending = new Map<string, EpochRecord[]>();
  private timer: NodeJS.Timeout | undefined;
  /**
   * Whether the host's runs are the truth. A page that comes back from hiding restores its
   * own saved state, which may hold runs the host has since cleared: once the host has shown
   * anything it replaces the page's runs with its own. A panel revived after a window reload
   * knows nothing yet, and leaves the page's restored runs alone.
   */
  private authoritative = false;
  private lastRemembered = 0;

  private constructor(panel: vscode.WebviewPanel, deps: PanelHostDeps) {
    super(panel, deps, LOSS_PANEL);
    this.onDidDispose(() => {
      if (this.timer) clearTimeout(this.timer);
    });
  }

  /** The panel, created beside the editor when there is none. */
  static show(deps: PanelHostDeps): LossPanel {
    return LossPanel.slot.show(deps);
  }

  /** A panel VS Code restored after a reload: its page restores its own state. */
  static revive(panel: vscode.WebviewPanel, deps: PanelHostDeps): LossPanel {
    const revived = LossPanel.slot.adopt(panel, deps);
    // The host's record of the runs is newer than the page's debounced state: it wins.
    const runs = recalledLossRuns(deps.context.workspaceState);
    if (runs.length > 0) {
      for (const run of runs) revived.runs.set(run.runId, run);
      revived.authoritative = true;
    }
    return revived;
  }

  static get instance(): LossPanel | undefined {
    return LossPanel.slot.instance;
  }

  /** Runs the host knows, for tests and for "Open run" to avoid duplicates. */
  get knownRuns(): readonly RunRecord[] {
    return [...this.runs.values()];
  }

  startRun(run: StartedRun): void {
    this.authoritative = true;
    this.runs.set(run.runId, { ...run, status: 'running', epochs: [] });
    this.remember();
    this.post(startedMessage(this.runs.get(run.runId)!));
  }

  /** Tells the page which backend actually runs and the path of each layer, once the worker says so. */
  workerReady(runId: string, backend: string, paths: LayerTrainingPath[]): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.backend = backend;
    run.paths = paths;
    this.post(startedMessage(run));
    if (run.epochs.length) this.post({ type: 'epochs', runId, epochs: run.epochs });
  }

  epoch(runId: string, epoch: number, logs: EpochLogs): void {
    const record = { epoch, logs };
    this.runs.get(runId)?.epochs.push(record);
    const list = this.pending.get(runId) ?? [];
    list.push(record);
    this.pending.set(runId, list);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    if (Date.now() - this.lastRemembered > REMEMBER_MS) this.remember();
  }

  endRun(runId: string, status: Exclude<RunStatus, 'running'>, error?: string): void {
    this.flush();
    const run = this.runs.get(runId);
    if (run) run.status = status;
    this.post({ type: 'runEnded', runId, status, ...(error ? { error } : {}) });
    this.remember();
  }

  /** Saved runs ("Open run"); `replace` forgets every run shown before. */
  loadRuns(runs: RunRecord[], replace: boolean): void {
    this.authoritative = true;
    this.flush();
    if (replace) this.runs.clear();
    for (const run of runs) this.runs.set(run.runId, run);
    this.post({ type: 'loadRuns', runs, replace });
    this.remember();
  }

  clear(): void {
    this.authoritative = true;
    this.flush();
    this.runs.clear();
    this.post({ type: 'clearRuns' });
    this.remember();
  }

  private remember(): void {
    this.lastRemembered = Date.now();
    void rememberLossRuns(this.deps.context.workspaceState, [...this.runs.values()]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [runId, epochs] of this.pending) this.post({ type: 'epochs', runId, epochs });
    this.pending.clear();
  }

  protected override replayCoversAll(): boolean {
    return true;
  }

  protected replay(): HostToWebview[] {
    // Pending epochs are in `runs` already: the batch would double them.
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    const runs = [...this.runs.values()];
    const ended = runs.filter((r) => r.status !== 'running');
    const running = runs.filter((r) => r.status === 'running');
    // loadRuns draws finished runs; a running one is re-announced so its Stop button shows.
    if (!this.authoritative) return [];
    const messages: HostToWebview[] = [{ type: 'loadRuns', runs: ended, replace: true }];
    for (const r of running) {
      messages.push(startedMessage(r));
      if (r.epochs.length) messages.push({ type: 'epochs', runId: r.runId, epochs: r.epochs });
    }
    return messages;
  }

  protected override handle(message: WebviewToHost): void {
    if (message.type === 'stop') LossPanel.onStop?.(message.runId);
  }
}

/** Announces a run to the page: its header, epochs follow separately. */
function startedMessage(run: RunRecord): RunStartedMessage {
  const { runId, label, model, backend, settings, paths } = run;
  return { type: 'runStarted', runId, label, model, backend, settings, ...(paths ? { paths } : {}) };
}
