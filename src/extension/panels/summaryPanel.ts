import * as vscode from 'vscode';
import type { HostToWebview, SummaryMessage, WebviewToHost } from '../../../webview/protocol';
import { analysisOf } from '../documentAnalysis';
import { PanelHost, type PanelHostDeps } from './panelHost';
import { PanelSlot } from './panelSlot';
import { SUMMARY_PANEL } from './panelKinds';
import { recalledSummarySource, rememberSummarySource } from './panelMemory';

// The summary panel: the Keras summary table and the layer diagram of one model. It follows
// edits of its document (re-analysed after a pause in typing) and reveals a clicked layer in
// the editor.

const EDIT_DEBOUNCE_MS = 300;

export class SummaryPanel extends PanelHost {
  private static readonly slot = new PanelSlot(SUMMARY_PANEL, (panel, deps) => new SummaryPanel(panel, deps));
  private source: vscode.Uri | undefined;
  private modelName: string | undefined;
  private last: SummaryMessage | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private readonly watch: vscode.Disposable;

  private constructor(panel: vscode.WebviewPanel, deps: PanelHostDeps) {
    super(panel, deps, SUMMARY_PANEL);
    this.watch = vscode.workspace.onDidChangeTextDocument((e) => {
      if (!this.source || e.document.uri.toString() !== this.source.toString()) return;
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.refresh(e.document), EDIT_DEBOUNCE_MS);
    });
    this.onDidDispose(() => {
      this.watch.dispose();
      if (this.debounce) clearTimeout(this.debounce);
    });
  }

  static show(deps: PanelHostDeps): SummaryPanel {
    return SummaryPanel.slot.show(deps);
  }

  static revive(panel: vscode.WebviewPanel, deps: PanelHostDeps): SummaryPanel {
    const revived = SummaryPanel.slot.adopt(panel, deps);
    // Follow the same document again (edits, layer clicks); the page shows its saved summary
    // until the document is read.
    const source = recalledSummarySource(deps.context.workspaceState);
    if (source) {
      void vscode.workspace.openTextDocument(vscode.Uri.parse(source.uri)).then(
        (document) => {
          if (!revived.isDisposed) revived.showModel(document, source.model);
        },
        () => undefined,
      );
    }
    return revived;
  }

  static get instance(): SummaryPanel | undefined {
    return SummaryPanel.slot.instance;
  }

  /** The model shown, for tests. */
  get shownModel(): string | undefined {
    return this.last?.model.name;
  }

  showModel(document: vscode.TextDocument, modelName: string): boolean {
    this.source = document.uri;
    this.modelName = modelName;
    void rememberSummarySource(this.deps.context.workspaceState, { uri: document.uri.toString(), model: modelName });
    this.panel.title = `${modelName}: Summary`;
    return this.refresh(document);
  }

  private refresh(document: vscode.TextDocument): boolean {
    const model = analysisOf(document).models.find((m) => m.name === this.modelName);
    // A model renamed or deleted mid-edit keeps its last summary until it is back.
    if (!model) return false;
    this.last = { type: 'summary', model };
    this.post(this.last);
    return true;
  }

  protected override replayCoversAll(): boolean {
    return this.last !== undefined;
  }

  protected replay(): HostToWebview[] {
    return this.last ? [this.last] : [];
  }

  protected override async handle(message: WebviewToHost): Promise<void> {
    if (message.type !== 'reveal' || !this.source) return;
    const document = await vscode.workspace.openTextDocument(this.source);
    const range = new vscode.Range(document.positionAt(message.start), document.positionAt(message.end));
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
