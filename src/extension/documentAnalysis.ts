import type * as vscode from 'vscode';
import { analyze, type Analysis } from '../language';

// The extension's one path to what a document defines: the engine, run here in the extension
// host on the document's current text. Every question the extension itself asks (the model
// under the cursor for the status bar, a command's target, the summary, what to train) is
// answered from this analysis; the language server answers the editor's own LSP requests
// (diagnostics, hovers, inlay hints, ...) and nothing else. Analysing here keeps the commands
// exact for the text they run on, even while the server is busy or restarting.
// One analysis per document version: the status bar, a command and the summary panel asking
// about the same text share it; a closed document's entry goes with its TextDocument.

const cache = new WeakMap<vscode.TextDocument, { version: number; analysis: Analysis }>();

export function analysisOf(document: vscode.TextDocument): Analysis {
  const hit = cache.get(document);
  if (hit && hit.version === document.version) return hit.analysis;
  const analysis = analyze(document.getText());
  cache.set(document, { version: document.version, analysis });
  return analysis;
}
