import * as vscode from 'vscode';
import { formatCount, modelAt } from '../language';
import { analysisOf } from './documentAnalysis';

// The status bar shows the total parameters of the model under the cursor, from the
// extension's analysis of the document (documentAnalysis.ts), once the cursor rests a moment.

const DELAY_MS = 120;

export class ModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor() {
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
    this.timer = setTimeout(() => this.update(), DELAY_MS);
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document.languageId === 'seqmodel' ? editor.document : undefined;
    const model = editor && document ? modelAt(analysisOf(document), document.offsetAt(editor.selection.active)) : undefined;
    if (!document || !model) {
      this.item.hide();
      return;
    }
    const { total, trainable, nonTrainable } = model.params;
    const n = formatCount(total);
    this.item.text = `$(symbol-class) ${model.name}: ${n} params${model.valid ? '' : ' $(warning)'}`;
    const split = nonTrainable ? `\n\nTrainable: ${formatCount(trainable)} · Non-trainable: ${formatCount(nonTrainable)}` : '';
    this.item.tooltip = new vscode.MarkdownString(`**${model.name}**: ${n} parameters in ${model.layers.length} layers${split}${model.valid ? '' : '\n\nThe model has errors: counts cover the layers analysed so far.'}\n\nClick for the summary.`);
    this.item.command = { title: 'Show summary', command: 'seqmodel.showSummary', arguments: [document.uri.toString(), model.name] };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
