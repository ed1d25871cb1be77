import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildRunsTree, formatSeconds, type GroupNode, type LiveRun, type RunNode, type RunsNode, UNKNOWN_FILE } from '../../src/extension/runs/runsTree';
import { runsToPrune } from '../../src/training/runRetention';
import { type RunMeta, type RunRecord, saveRun, scanRuns, setPinned } from '../../src/training/runStore';
import { settings } from './training-fixtures';
import { useTempDir } from '../helpers/temp-dir';

// The Runs view's tree (src/extension/runs/runsTree.ts) from a runs folder written the way
// training writes it, with a broken run and foreign folders beside the runs; retention's
// choice; pins surviving a rescan.

function record(model: string, finishedAt: string, extra: Partial<RunMeta> = {}, history: RunRecord['history'] = { loss: [3, 2, 1], val_loss: [4, 3, 2] }): RunRecord {
  return {
    meta: {
      model,
      source: 'forecast.seqmodel',
      data: 'series',
      settings: settings({ epochs: 3 }),
      backend: 'wasm',
      seconds: 2.25,
      epochs: 3,
      samples: { train: 5, validation: 1 },
      params: 338,
      paths: [{ path: 'fused', kernel: 'lstm/wasm-simd', layer: 'lstm', type: 'LSTM', text: 'lstm: fused (lstm/wasm-simd)' }],
      startedAt: finishedAt,
      finishedAt,
      versions: {},
      ...extra,
    },
    history,
    predictions: [],
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute));

function groups(nodes: readonly RunsNode[]): GroupNode[] {
  return nodes.filter((n): n is GroupNode => n.kind !== 'run' && n.kind !== 'problem');
}

/** The tree as text: one line per node, indented, label and description. */
function outline(nodes: readonly RunsNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.label}${n.kind === 'run' || n.kind === 'problem' ? ` [${n.contextValue}]` : ''}${n.description ? ` — ${n.description}` : ''}`, ...(n.kind === 'run' || n.kind === 'problem' ? [] : outline(n.children, depth + 1))]);
}

describe('the SeqModel Runs view: tree, retention and pins', function () {
  this.timeout(20000);
  const workspace = useTempDir('runs-view', { each: true });
  let runsDir: string;

  beforeEach(() => {
    runsDir = path.join(workspace(), '.seqmodel', 'runs');
  });

  async function save(r: RunRecord, minute: number): Promise<string> {
    return saveRun({ runsDir, record: r, date: at(minute) });
  }

  async function tree(live: LiveRun | null = null): Promise<RunsNode[]> {
    return buildRunsTree([{ folder: workspace(), name: 'ws', scan: await scanRuns(runsDir) }], live);
  }

  it('groups runs by file, then model, newest first, each with status, final figures, epochs, duration, backend and path', async () => {
    await save(record('lstm', at(1).toISOString()), 1);
    await save(record('gru', at(2).toISOString(), { status: 'stopped', epochs: 2, seconds: 75 }, { loss: [3, 2] }), 2);
    await save(record('lstm', at(3).toISOString(), { status: 'failed', error: { kind: 'nan', message: 'Training diverged' } }, { loss: [3, Number.NaN] }), 3);
    await save(record('rnn', at(4).toISOString(), { source: 'text/classify.seqmodel', backend: 'cpu', paths: [] }, { loss: [0.5], accuracy: [0.75], val_loss: [0.6], val_accuracy: [0.5] }), 4);
    await save(record('lstm', at(0).toISOString(), { source: undefined }), 0);

    assert.deepEqual(outline(await tree()), [
      'text/classify.seqmodel — 1 run',
      '  rnn — 1 run',
      '    2026-11-29 10:04 [run] — done · loss 0.5, val_loss 0.6, accuracy 0.75, val_accuracy 0.5 · 3/3 epochs · 2.3 s · cpu',
      'forecast.seqmodel — 3 runs',
      '  lstm — 2 runs',
      // A failed run's NaN is not its final loss: the last finite one is.
      '    2026-11-29 10:03 [run] — failed · loss 3 · 3/3 epochs · 2.3 s · wasm · fused',
      '    2026-11-29 10:01 [run] — done · loss 1, val_loss 2 · 3/3 epochs · 2.3 s · wasm · fused',
      '  gru — 1 run',
      '    2026-11-29 10:02 [run] — stopped · loss 2 · 2/3 epochs · 1 min 15 s · wasm · fused',
      `${UNKNOWN_FILE} — 1 run`,
      '  lstm — 1 run',
      '    2026-11-29 10:00 [run] — done · loss 1, val_loss 2 · 3/3 epochs · 2.3 s · wasm · fused',
    ]);
    const failed = groups(groups(await tree())[1].children)[0].children[0] as RunNode;
    assert.equal(failed.icon, 'failed');
    assert.match(failed.tooltip ?? '', /failed: Training diverged/);
    assert.match(failed.tooltip ?? '', /layer lstm: fused \(lstm\/wasm-simd\)/);
    assert.match(failed.tooltip ?? '', /adam.*batch_size 32/);
    assert.equal(failed.runDir, path.join(runsDir, 'lstm', '2026-11-29T10-03-00-000Z'));
  });

  it('names the whole-model loop in brief and in the tooltip; a tfjs loop stays unnamed in brief, as before it existed', async () => {
    const lstm = { path: 'fused' as const, kernel: 'lstm/wasm-simd', layer: 'lstm', type: 'LSTM', text: 'lstm: fused (lstm/wasm-simd)' };
    const whole = { path: 'whole-model' as const, layer: '', type: 'training loop', text: 'training loop: whole model' };
    const tfjs = { path: 'tfjs' as const, reason: "metric 'precision' is not computed on the whole-model path", layer: '', type: 'training loop', text: "training loop: TensorFlow.js — metric 'precision' is not computed on the whole-model path" };
    await save(record('lstm', at(1).toISOString(), { paths: [whole, lstm] }), 1);
    await save(record('lstm', at(2).toISOString(), { paths: [tfjs, lstm] }), 2);
    const runs = groups(groups(await tree())[0].children)[0].children as RunNode[];
    assert.deepEqual(runs.map((r) => r.description?.split(' · ').pop()), ['fused', 'whole model + fused']);
    assert.match(runs[1].tooltip ?? '', /\ntraining loop: whole model\nlayer lstm: fused \(lstm\/wasm-simd\)\n/);
    assert.match(runs[0].tooltip ?? '', /\ntraining loop: TensorFlow\.js — metric 'precision' is not computed on the whole-model path\n/);
  });

  it('shows broken and foreign folders in their own group without hiding any run', async () => {
    const good = await save(record('lstm', at(1).toISOString()), 1);
    // Half-written: meta.json cut off mid-way (a disk that filled, a copy interrupted).
    const broken = path.join(runsDir, 'lstm', '2026-11-29T09-00-00-000Z');
    mkdirSync(broken, { recursive: true });
    writeFileSync(path.join(broken, 'meta.json'), '{"model": "lstm", "sett');
    writeFileSync(path.join(broken, 'history.json'), '{}');
    writeFileSync(path.join(broken, 'predictions.json'), '[]');
    // meta.json that parses but is no run's.
    const wrong = path.join(runsDir, 'gru', 'copied');
    mkdirSync(wrong, { recursive: true });
    for (const f of ['meta.json', 'history.json', 'predictions.json']) writeFileSync(path.join(wrong, f), '[]');
    mkdirSync(path.join(runsDir, 'lstm', 'notes'));
    mkdirSync(path.join(runsDir, 'my old runs'));
    writeFileSync(path.join(runsDir, 'README.txt'), 'not a folder: ignored');

    const nodes = await tree();
    assert.deepEqual(
      nodes.map((n) => n.label),
      ['forecast.seqmodel', 'Not readable as runs'],
    );
    const runs = groups(groups(nodes)[0].children)[0].children as RunNode[];
    assert.deepEqual(
      runs.map((r) => r.runDir),
      [good],
    );
    const problems = groups(nodes)[1];
    assert.equal(problems.description, '4 folders');
    const byLabel = Object.fromEntries(problems.children.map((p) => [p.label, p.kind === 'problem' ? [p.contextValue, p.icon, p.description] : []]));
    assert.equal(byLabel['lstm/2026-11-29T09-00-00-000Z'][0], 'run.broken');
    assert.match(String(byLabel['lstm/2026-11-29T09-00-00-000Z'][2]), /^broken: not a readable run \(.*JSON/);
    assert.deepEqual(byLabel['gru/copied'].slice(0, 2), ['run.broken', 'broken']);
    assert.match(String(byLabel['gru/copied'][2]), /meta\.json lacks model/);
    assert.deepEqual(byLabel['lstm/notes'], ['foreign', 'foreign', 'not a run: no meta.json: not a saved run']);
    assert.deepEqual(byLabel['runs/my old runs'], ['foreign', 'foreign', 'not a run: not a model name (letters, digits and _)']);
  });

  it('shows the run in progress first in its group, with its live epoch, and says when there is nothing', async () => {
    await save(record('lstm', at(1).toISOString()), 1);
    const live: LiveRun = { folder: workspace(), source: 'forecast.seqmodel', model: 'lstm', epoch: 4, epochs: 20, logs: { loss: 0.25, val_loss: 0.5 }, backend: 'wasm', startedAt: at(5).toISOString() };
    const model = groups(groups(await tree(live))[0].children)[0];
    assert.equal(model.description, '2 runs');
    const first = model.children[0] as RunNode;
    assert.deepEqual([first.label, first.contextValue, first.icon, first.description, first.runDir], ['running', 'run.running', 'running', 'running · epoch 4/20 · loss 0.25, val_loss 0.5 · wasm', undefined]);

    // A live run of a model that has no saved run yet makes its own groups.
    const other = outline(await tree({ ...live, source: 'new.seqmodel', model: 'gru', epoch: 0, logs: {}, backend: null }));
    assert.deepEqual(other.slice(0, 3), ['new.seqmodel — 1 run', '  gru — 1 run', '    running [run.running] — running · epoch 0/20']);

    // No runs folder at all: nothing, so the view's welcome text shows.
    assert.deepEqual(buildRunsTree([{ folder: '/elsewhere', name: 'x', scan: await scanRuns('/elsewhere/.seqmodel/runs') }]), []);
  });

  it('puts each root in its own group when there are several (a multi-root workspace, files opened alone)', async () => {
    await save(record('lstm', at(1).toISOString()), 1);
    const scan = await scanRuns(runsDir);
    const nodes = buildRunsTree([
      { folder: workspace(), name: 'ws', scan },
      { folder: '/empty', name: 'empty', scan: { runs: [], problems: [] } },
    ]);
    assert.deepEqual(outline(nodes).slice(0, 2), [`ws — ${workspace()}`, '  forecast.seqmodel — 1 run']);
    assert.equal(nodes.length, 1, 'a root without runs is left out');
  });

  it('pins survive a rescan (a reload) and show in the tree; unpinning removes the marker', async () => {
    const run = await save(record('lstm', at(1).toISOString()), 1);
    await setPinned(run, true);
    const again = (await scanRuns(runsDir)).runs[0];
    assert.equal(again.pinned, true);
    const node = groups(groups(await tree())[0].children)[0].children[0] as RunNode;
    assert.equal(node.contextValue, 'run.pinned');
    assert.match(node.description ?? '', /^pinned · done/);
    await setPinned(run, false);
    assert.equal((await scanRuns(runsDir)).runs[0].pinned, false);
    await setPinned(run, false);
  });

  it('retention keeps the newest runs of each model and every pinned run', async () => {
    const lstm: string[] = [];
    for (let m = 0; m < 5; m++) lstm.push(await save(record('lstm', at(m).toISOString()), m));
    const gru = [await save(record('gru', at(10).toISOString()), 10), await save(record('gru', at(11).toISOString()), 11)];
    await setPinned(lstm[0], true);
    await setPinned(lstm[3], true);
    const { runs } = await scanRuns(runsDir);

    // Two unpinned per model: lstm keeps 4 and 2 (newest unpinned) and the pinned 3 and 0.
    assert.deepEqual(
      runsToPrune(runs, 2).map((r) => r.path),
      [lstm[1]],
    );
    assert.deepEqual(
      runsToPrune(runs, 1)
        .map((r) => r.path)
        .sort(),
      [gru[0], lstm[1], lstm[2]].sort(),
    );
    assert.deepEqual(runsToPrune(runs, 0), [], '0 keeps every run');
    assert.deepEqual(runsToPrune(runs, 100), []);
    assert.deepEqual(runsToPrune(runs, Number.NaN), []);
  });

  it('formats durations as people read them', () => {
    assert.deepEqual([0.84, 9.96, 42.4, 185].map(formatSeconds), ['0.8 s', '10 s', '42 s', '3 min 5 s']);
  });
});
