import * as vscode from 'vscode';
import { convertPastedKeras } from '../../import/paste';

// Python Keras code pasted into a .seqmodel file gets a quick fix that replaces it with its
// import. VS Code 1.91 (this extension's minimum) has no stable paste-edit API, so the last
// multi-line insertion of each document is remembered and offered as a code action while the
// cursor is inside it and its text is unchanged.

interface Pasted {
  start: number;
  text: string;
}

const CONVERT_KIND = vscode.CodeActionKind.QuickFix.append('seqmodel.importKeras');

export function registerPastedKeras(): vscode.Disposable {
  const pasted = new Map<string, Pasted>();
  const listener = vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.document.languageId !== 'seqmodel') return;
    const key = event.document.uri.toString();
    const insert = event.contentChanges.length === 1 ? event.contentChanges[0] : undefined;
    if (insert && insert.text.includes('\n') && insert.text.trim().length > 0) pasted.set(key, { start: insert.rangeOffset, text: insert.text });
    else if (pasted.has(key)) {
      // Another edit: keep the paste only while its text is still where it was.
      const p = pasted.get(key)!;
      if (event.document.getText().slice(p.start, p.start + p.text.length) !== p.text) pasted.delete(key);
    }
  });
  const closed = vscode.workspace.onDidCloseTextDocument((d) => pasted.delete(d.uri.toString()));
  const provider = vscode.languages.registerCodeActionsProvider(
    { language: 'seqmodel' },
    {
      provideCodeActions(document, range) {
        const p = pasted.get(document.uri.toString());
        if (!p) return [];
        const start = document.positionAt(p.start);
        const end = document.positionAt(p.start + p.text.length);
        const region = new vscode.Range(start, end);
        if (!region.intersection(range) || document.getText(region) !== p.text) return [];
        const result = convertPastedKeras(p.text, document.getText(), p.start);
        if (!result) return [];
        const action = new vscode.CodeAction(`Convert pasted Keras code to SeqModel (${result.models} model${result.models === 1 ? '' : 's'})`, CONVERT_KIND);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, region, result.text);
        action.isPreferred = true;
        return [action];
      },
    },
    { providedCodeActionKinds: [CONVERT_KIND] },
  );
  return vscode.Disposable.from(listener, closed, provider, { dispose: () => pasted.clear() });
}
