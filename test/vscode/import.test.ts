import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

// Import from Keras inside a real extension host: the command opens the import of a Python
// file as a .seqmodel document, and Keras code pasted into a .seqmodel file gets the quick fix
// that converts it (src/extension/importKeras/).

const EXTENSION_ID = 'seqmodel-studio.seqmodel-studio';

const STACKED = `from tensorflow import keras
from tensorflow.keras import layers
n_features = 6
model = keras.Sequential()
model.add(layers.LSTM(4, return_sequences=True, input_shape=(None, n_features)))
model.add(layers.LSTM(5, return_sequences=True))
`;

describe('Import from Keras in the extension host', () => {
  let dir: string;
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    dir = mkdtempSync(path.join(tmpdir(), 'seqmodel-import-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Import from Keras... opens the import of a Python file as a .seqmodel document', async () => {
    const file = path.join(dir, 'stacked.py');
    writeFileSync(file, STACKED);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('seqmodel.importKeras', vscode.Uri.file(file));
    assert.ok(doc, 'the command returned no document');
    assert.equal(doc.languageId, 'seqmodel');
    assert.equal(vscode.window.activeTextEditor?.document, doc);
    assert.match(doc.getText(), /^let n_features = 6$/m);
    assert.match(doc.getText(), /model lstm \{\n {2}LSTM\(4, return_sequences=True, input_shape=\(None, n_features\)\)\n {2}LSTM\(5, return_sequences=True\)\n\}/);
    // Unsaved, named after its source and beside it; a second import takes the next free name.
    assert.equal(doc.uri.scheme, 'untitled');
    assert.equal(doc.uri.path, vscode.Uri.file(path.join(dir, 'stacked.seqmodel')).path);
    const again = await vscode.commands.executeCommand<vscode.TextDocument>('seqmodel.importKeras', vscode.Uri.file(file));
    assert.equal(again.uri.path, vscode.Uri.file(path.join(dir, 'stacked-2.seqmodel')).path);
    assert.equal(again.getText(), doc.getText());
  });

  it('offers to convert Keras code pasted into a .seqmodel file, and converts it', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'seqmodel', content: 'let n = 3\n\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const end = doc.positionAt(doc.getText().length);
    // One multi-line insertion, as a paste makes.
    assert.ok(await editor.edit((e) => e.insert(end, STACKED)));
    const inside = doc.positionAt(doc.getText().indexOf('layers.LSTM(5'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(inside, inside));
    const convert = actions.find((a) => a.title.startsWith('Convert pasted Keras code to SeqModel'));
    assert.ok(convert?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(convert.edit));
    const text = doc.getText();
    assert.match(text, /^let n = 3\n/);
    assert.doesNotMatch(text, /keras\.Sequential/);
    assert.match(text, /model lstm \{\n {2}LSTM\(4, return_sequences=True, input_shape=\(None, n_features\)\)/);
  });

  it('offers nothing for .seqmodel text typed or pasted', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'seqmodel', content: '' });
    const editor = await vscode.window.showTextDocument(doc);
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'model m {\n  input(3, 1)\n  LSTM(4)\n}\n')));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(1, 2, 1, 2));
    assert.equal(actions.filter((a) => a.title.startsWith('Convert pasted Keras code')).length, 0);
  });
});
