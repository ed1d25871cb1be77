import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openForecastCopy } from './hostHelpers';
import { eventually } from './waiting';

// The SeqModel Runs view inside a real extension host: the run in progress shown live with its
// epoch, the saved run appearing when it ends, a run copied in on disk found by the file
// watcher, Pin surviving a rescan and protecting a run from retention, and Delete.


interface Node {
  kind: string;
  label: string;
  description?: string;
  contextValue?: string;
  runDir?: string;
  children?: Node[];
}
interface Api {
  training: { isTraining: boolean };
  runs: { topLevel: readonly Node[]; rescan(): Promise<void> };
}

function leaves(nodes: readonly Node[]): Node[] {
  return nodes.flatMap((n) => (n.children ? leaves(n.children) : [n]));
}

describe('SeqModel Runs view in the extension host', function () {
  this.timeout(240_000);
  let api: Api;
  let folder: string;
  let doc: vscode.TextDocument;
  const runsOf = (model: string) => path.join(folder, '.seqmodel', 'runs', model);
  const savedIds = (model: string) => (existsSync(runsOf(model)) ? readdirSync(runsOf(model)).filter((n) => !n.startsWith('.')).sort() : []);
  /** The view's run items of this test's folder. */
  const runItems = () => leaves(api.runs.topLevel).filter((n) => n.kind === 'run' && (n.runDir === undefined || n.runDir.startsWith(folder)));

  before(async () => {
    ({ folder, doc, api } = await openForecastCopy<Api>('seqmodel-runs-view-'));
    // Show the view, as a user opening it would (its provider is registered either way).
    await vscode.commands.executeCommand('seqmodel.runs.focus');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('seqmodel').update('runs.keepPerModel', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows the run in progress with its live epoch, then the saved run when it is stopped', async () => {
    const started = vscode.commands.executeCommand<{ outcomes: { outcome: { status: string } }[] }>('seqmodel.train', doc.uri.toString(), 'rnn', { epochs: 100000 });
    const epochOf = (n: Node | undefined) => Number(/epoch (\d+)\//.exec(n?.description ?? '')?.[1] ?? -1);
    const running = () => runItems().find((n) => n.contextValue === 'run.running');
    const first = await eventually(running, (n) => epochOf(n) >= 1, 'the running run at epoch 1 or later', 60000);
    assert.equal(first?.label, 'running');
    assert.match(first?.description ?? '', /^running · epoch \d+\/100000 · loss /);
    // It moves on as training does, without any rescan.
    await eventually(running, (n) => epochOf(n) > epochOf(first), 'a later epoch in the view');

    assert.equal(await vscode.commands.executeCommand('seqmodel.stopTraining'), true);
    const summary = await started;
    assert.equal(summary.outcomes[0].outcome.status, 'stopped');
    const saved = await eventually(runItems, (items) => items.length === 1 && items[0].contextValue === 'run', 'the saved run in place of the running one');
    assert.match(saved[0].description ?? '', /^stopped · loss /);
    assert.equal(saved[0].runDir, path.join(runsOf('rnn'), savedIds('rnn')[0]));
  });

  it('finds a run that appears on disk (the file watcher) and one that disappears', async () => {
    const [id] = savedIds('rnn');
    const copy = path.join(runsOf('rnn'), '2020-01-01T00-00-00-000Z');
    cpSync(path.join(runsOf('rnn'), id), copy, { recursive: true });
    await eventually(runItems, (items) => items.some((n) => n.runDir === copy), 'the copied run in the view');
    rmSync(copy, { recursive: true });
    await eventually(runItems, (items) => items.length === 1, 'the removed run gone from the view');
  });

  it('pins a run; the pin survives a rescan and retention keeps it while pruning older runs', async () => {
    const [pinned] = savedIds('rnn');
    const node = runItems().find((n) => n.runDir?.endsWith(pinned));
    assert.ok(node);
    assert.equal(await vscode.commands.executeCommand('seqmodel.runs.pin', node), 1);
    assert.ok(existsSync(path.join(runsOf('rnn'), pinned, '.pinned')));
    await api.runs.rescan();
    assert.equal(runItems().find((n) => n.runDir?.endsWith(pinned))?.contextValue, 'run.pinned');

    await vscode.workspace.getConfiguration('seqmodel').update('runs.keepPerModel', 1, vscode.ConfigurationTarget.Global);
    for (let i = 0; i < 2; i++) {
      const summary = await vscode.commands.executeCommand<{ outcomes: { outcome: { status: string; result?: { runPath: string } } }[] }>('seqmodel.train', doc.uri.toString(), 'rnn', { epochs: 2 });
      assert.equal(summary.outcomes[0].outcome.status, 'done');
    }
    // The pinned run and the newest one: the first of the two new runs was pruned.
    const ids = savedIds('rnn');
    assert.equal(ids.length, 2, ids.join(', '));
    assert.ok(ids.includes(pinned));
    await eventually(runItems, (items) => items.length === 2, 'two runs in the view');

    assert.equal(await vscode.commands.executeCommand('seqmodel.runs.unpin', runItems().find((n) => n.contextValue === 'run.pinned')), 1);
    assert.ok(!existsSync(path.join(runsOf('rnn'), pinned, '.pinned')));
  });

  it("hands the selected runs' folders to Compare in Table, as its menu item passes them", async () => {
    const items = runItems();
    const compared = await vscode.commands.executeCommand<{ path: string }[]>('seqmodel.compareRunsTable', items[0], items);
    assert.deepEqual(
      compared?.map((r) => r.path),
      items.map((n) => n.runDir),
    );
  });

  it('deletes the selected runs', async () => {
    const items = runItems();
    assert.equal(items.length, 2);
    // As the context menu calls it on a multi-selection: (clicked, selected), here already confirmed.
    assert.equal(await vscode.commands.executeCommand('seqmodel.runs.delete', items[0], items, { confirmed: true }), 2);
    assert.deepEqual(savedIds('rnn'), []);
    await eventually(runItems, (left) => left.length === 0, 'no run left in the view');
  });
});
