import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { formatCount } from '../language';
import { MODEL_AT_REQUEST, type ModelAtParams, type ModelAtResult } from '../server/protocol';

// The status bar shows the total parameters of the model under the cursor, asked from the
// server (which already has the analysis) after the cursor rests for a moment.

const DELAY_MS = 120;

export class ModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older requests must not overwrite a newer one. */
  private generation = 0;

  constructor(private readonly client: LanguageClient) {
    this.item = vscode.window.createStatusBarItem('seqmodel.params', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'SeqModel: model parameters';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && this.schedule()),
    );
    this.schedule();
  }

  /** The text shown now (for tests). */
  get text(): string | undefined {
    return this.item.text;
  }

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), DELAY_MS);
  }

  async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const generation = ++this.generation;
    if (!editor || editor.document.languageId !== 'seqmodel') {
      this.item.hide();
      return;
    }
    let model: ModelAtResult | null = null;
    try {
      const params: ModelAtParams = { textDocument: { uri: editor.document.uri.toString() }, position: editor.selection.active };
      model = await this.client.sendRequest<ModelAtResult | null>(MODEL_AT_REQUEST, params);
    } catch {
      model = null; // the server restarting: show nothing rather than a stale count
    }
    if (generation !== this.generation) return;
    if (!model) {
      this.item.hide();
      return;
    }
    const n = formatCount(model.total);
    this.item.text = `$(symbol-class) ${model.name}: ${n} params${model.valid ? '' : ' $(warning)'}`;
    const split = model.nonTrainable ? `\n\nTrainable: ${formatCount(model.trainable)} · Non-trainable: ${formatCount(model.nonTrainable)}` : '';
    this.item.tooltip = new vscode.MarkdownString(`**${model.name}**: ${n} parameters in ${model.layers} layers${split}${model.valid ? '' : '\n\nThe model has errors: counts cover the layers analysed so far.'}\n\nClick for the summary.`);
    this.item.command = { title: 'Show summary', command: 'seqmodel.showSummary', arguments: [editor.document.uri.toString(), model.name] };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
