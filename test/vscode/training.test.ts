import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually, hasPanel, webviewTabs } from './waiting';
import { openForecastCopy, REPO_ROOT } from './hostHelpers';

// The training commands inside a real extension host: registered as package.json contributes
// them, the summary panel opening, Export to Keras, a short training run with its panels and
// saved run, Predict on that run (in the predict worker), Open run, and Stop ending a long run.


interface Outcome {
  model: string;
  outcome: { status: 'done' | 'error' | 'stopped'; result?: { runPath: string | null; epochs: number }; error?: { message: string } };
}
interface Api {
  training: {
    isTraining: boolean;
    finished: Promise<{ outcomes: Outcome[] }> | undefined;
  };
}

describe('SeqModel training commands in the extension host', function () {
  this.timeout(120_000);
  let api: Api;
  let folder: string;
  let doc: vscode.TextDocument;

  before(async () => {
    ({ folder, doc, api } = await openForecastCopy<Api>('seqmodel-train-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('registers every training command that package.json contributes', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    const contributed = pkg.contributes.commands.map((c) => c.command);
    const expected = ['seqmodel.train', 'seqmodel.trainAll', 'seqmodel.stopTraining', 'seqmodel.predict', 'seqmodel.showSummaryPanel', 'seqmodel.exportKeras', 'seqmodel.openRun', 'seqmodel.showPredictions'];
    const registered = await vscode.commands.getCommands(true);
    for (const id of expected) {
      assert.ok(contributed.includes(id), `${id} is not contributed`);
      assert.ok(registered.includes(id), `${id} is not registered`);
    }
  });

  it('opens the summary panel for the model under the cursor', async () => {
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('LSTM(50'));
    editor.selection = new vscode.Selection(at, at);
    const shown = await vscode.commands.executeCommand<string>('seqmodel.showSummaryPanel');
    assert.equal(shown, 'lstm');
    await eventually(() => hasPanel('seqmodel.summary'), Boolean, 'the summary panel tab');
  });

  it('exports a model to Keras in an untitled Python document', async () => {
    const py = await vscode.commands.executeCommand<vscode.TextDocument>('seqmodel.exportKeras', doc.uri.toString(), 'rnn');
    assert.ok(py, 'no document');
    assert.equal(py.languageId, 'python');
    assert.equal(py.isUntitled, true);
    assert.equal(path.posix.basename(py.uri.path), 'forecast_rnn.py');
    assert.match(py.getText(), /model\.add\(SimpleRNN\(50, activation='sigmoid', input_shape=\(3, 1\)\)\)/);
  });

  it('trains a model for a few epochs, opens the loss and prediction panels and saves the run', async () => {
    const summary = await vscode.commands.executeCommand<{ outcomes: Outcome[] }>('seqmodel.train', doc.uri.toString(), 'rnn', { epochs: 5 });
    assert.ok(summary, 'no training summary');
    assert.equal(summary.outcomes.length, 1);
    const { outcome } = summary.outcomes[0];
    assert.equal(outcome.status, 'done', JSON.stringify(outcome.error));
    assert.equal(outcome.result?.epochs, 5);
    const runPath = outcome.result?.runPath;
    assert.ok(runPath && runPath.startsWith(path.join(folder, '.seqmodel', 'runs', 'rnn')), `run saved at ${runPath}`);
    assert.ok(existsSync(path.join(runPath, 'model.json')));
    assert.ok(existsSync(path.join(runPath, 'evaluation.json')));
    assert.ok(hasPanel('seqmodel.loss'), `tabs: ${webviewTabs().join(', ')}`);
    // The predictions wait for Show Predictions rather than cover the loss panel.
    assert.equal(await vscode.commands.executeCommand('seqmodel.showPredictions'), true);
    await eventually(() => hasPanel('seqmodel.prediction'), Boolean, 'the prediction panel tab');
    assert.equal(api.training.isTraining, false);
  });

  it('predicts with the trained run in the predict worker', async () => {
    const output = await vscode.commands.executeCommand<number[]>('seqmodel.predict', doc.uri.toString(), 'rnn', { input: '70, 80, 90' });
    assert.ok(Array.isArray(output), `output ${JSON.stringify(output)}`);
    assert.equal(output.length, 2);
    assert.ok(output.every((v) => Number.isFinite(v)));
    // An input of the wrong length is refused before any process starts.
    assert.equal(await vscode.commands.executeCommand('seqmodel.predict', doc.uri.toString(), 'rnn', { input: '70, 80' }), undefined);
  });

  it('opens a saved run', async () => {
    const runs = path.join(folder, '.seqmodel', 'runs', 'rnn');
    const id = readdirSync(runs).find((n) => !n.startsWith('.'));
    assert.ok(id);
    const run = await vscode.commands.executeCommand<{ meta: { model: string; epochs: number } }>('seqmodel.openRun', path.join(runs, id));
    assert.equal(run?.meta.model, 'rnn');
    assert.equal(run?.meta.epochs, 5);
  });

  it('stops a long run with Stop training', async () => {
    const started = vscode.commands.executeCommand<{ outcomes: Outcome[] }>('seqmodel.train', doc.uri.toString(), 'lstm', { epochs: 100000 });
    await eventually(() => api.training.isTraining, Boolean, 'training to start');
    // Let it reach the fitting loop so that the stop is the worker's, not a cancelled launch.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await vscode.commands.executeCommand('seqmodel.stopTraining'), true);
    const summary = await started;
    assert.equal(summary.outcomes[0].outcome.status, 'stopped');
    assert.equal(api.training.isTraining, false);
    assert.equal(await vscode.commands.executeCommand('seqmodel.stopTraining'), false);
  });
});
