import * as vscode from 'vscode';
import { loadRun } from '../../training/runStore';
import type { CompareRunsMessage, ComparedRun, HostToWebview, WebviewToHost } from '../../../webview/protocol';
import { PanelHost, type PanelHostDeps } from './panelHost';
import { PanelSlot } from './panelSlot';
import { COMPARE_PANEL } from './panelKinds';

// The run comparison table's panel: the host reads the runs and finds their files; the page
// builds and renders the table (webview/compare/). A click on a row opens the run with the
// existing Open Run command, so the loss and prediction panels show it as they always do.

export class ComparePanel extends PanelHost {
  private static readonly slot = new PanelSlot(COMPARE_PANEL, (panel, deps) => new ComparePanel(panel, deps));
  private last: CompareRunsMessage | undefined;

  private constructor(panel: vscode.WebviewPanel, deps: PanelHostDeps) {
    super(panel, deps, COMPARE_PANEL);
  }

  static show(deps: PanelHostDeps): ComparePanel {
    return ComparePanel.slot.show(deps, false);
  }

  /** A panel VS Code restored after a reload: its page restores the table it showed. */
  static revive(panel: vscode.WebviewPanel, deps: PanelHostDeps): ComparePanel {
    return ComparePanel.slot.adopt(panel, deps);
  }

  static get instance(): ComparePanel | undefined {
    return ComparePanel.slot.instance;
  }

  /** The runs shown, for tests. */
  get shownRuns(): readonly ComparedRun[] {
    return this.last?.runs ?? [];
  }

  showRuns(runs: ComparedRun[]): void {
    this.last = { type: 'compareRuns', runs };
    this.panel.title = runs.length === 1 ? 'SeqModel: Run' : `SeqModel: Compare ${runs.length} Runs`;
    this.post(this.last);
  }

  protected override replayCoversAll(): boolean {
    return this.last !== undefined;
  }

  protected replay(): HostToWebview[] {
    return this.last ? [this.last] : [];
  }

  protected override async handle(message: WebviewToHost): Promise<void> {
    if (message.type !== 'openRun') return;
    // Only a run this panel shows: a page message must not open arbitrary folders.
    const known = this.last?.runs.some((r) => r.path === message.runPath);
    if (!known) {
      this.deps.output.warn(`[compare panel] ignored a request to open ${message.runPath}: not a run of the table.`);
      return;
    }
    const exists = await loadRun(message.runPath).then(
      () => true,
      () => false,
    );
    if (!exists) {
      void vscode.window.showWarningMessage(`SeqModel: the run ${message.runPath} is no longer there (deleted or moved).`);
      return;
    }
    await vscode.commands.executeCommand('seqmodel.openRun', message.runPath);
  }
}
