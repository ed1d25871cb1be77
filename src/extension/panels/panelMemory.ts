import type * as vscode from 'vscode';
import type { RunRecord } from '../../../webview/protocol';

// What the host remembers of its panels across a window reload, in the workspace's storage.
// A page saves its own state too (setState), but only after a debounce: a page torn down while
// hidden, or a reload right after a run ended, can leave that state behind the truth. The host
// writes its runs when they start, every few seconds while they run, and when they end.

const LOSS_RUNS = 'seqmodel.panels.lossRuns';
const SUMMARY_SOURCE = 'seqmodel.panels.summarySource';

/** Runs longer than this are not kept (a 100,000-epoch history is megabytes of JSON). */
const MAX_STORED_EPOCHS = 20_000;

export interface SummarySource {
  uri: string;
  model: string;
}

export function rememberLossRuns(memento: vscode.Memento, runs: readonly RunRecord[]): Thenable<void> {
  let budget = MAX_STORED_EPOCHS;
  const kept: RunRecord[] = [];
  // Newest first within the budget, then back in display order.
  for (const run of [...runs].reverse()) {
    if (run.epochs.length > budget) continue;
    budget -= run.epochs.length;
    kept.unshift(run);
  }
  return memento.update(LOSS_RUNS, kept);
}

/** The remembered runs; one that was running when the window went away has stopped with it. */
export function recalledLossRuns(memento: vscode.Memento): RunRecord[] {
  const runs = memento.get<RunRecord[]>(LOSS_RUNS, []);
  return runs.map((r) => (r.status === 'running' ? { ...r, status: 'stopped' } : r));
}

export function rememberSummarySource(memento: vscode.Memento, source: SummarySource | undefined): Thenable<void> {
  return memento.update(SUMMARY_SOURCE, source);
}

export function recalledSummarySource(memento: vscode.Memento): SummarySource | undefined {
  return memento.get<SummarySource>(SUMMARY_SOURCE);
}
