import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { analyze, summaryTable } from '../../src/language';
import { describeTrainingLoop, describeTrainingPaths } from '../../src/training/trainingPaths';
import { loadRun } from '../../src/training/runStore';
import { ROOT } from '../helpers/engine';
import { tempDirMaker } from '../helpers/temp-dir';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const ex = (f: string) => join(ROOT, 'examples', f);

const tempDir = tempDirMaker('cli');

function tempFile(text: string): string {
  const dir = tempDir();
  const file = join(dir, 'm.seqmodel');
  writeFileSync(file, text);
  return file;
}

describe('CLI', () => {
  describe('summary', () => {
    it('prints a Keras-style table per model with totals', async () => {
      const c = capture();
      assert.equal(await run(['summary', ex('forecast.seqmodel'), '--model', 'lstm'], c.io), 0);
      const text = c.out.join('\n');
      assert.match(text, /Model: "lstm"/);
      assert.match(text, /Layer \(type\)\s+Output Shape\s+Param #/);
      assert.match(text, /lstm \(LSTM\)\s+\(None, 50\)\s+10,400/);
      assert.match(text, /dense \(Dense\)\s+\(None, 2\)\s+102/);
      assert.match(text, /Total params: 10,502\nTrainable params: 10,502\nNon-trainable params: 0/);
      // The engine's one printer, as Show Model Summary and the summary panel show it.
      const lstm = analyze(readFileSync(ex('forecast.seqmodel'), 'utf8')).models.find((m) => m.name === 'lstm')!;
      assert.equal(text, summaryTable(lstm));
    });
    it('shows several outputs as a list and non-trainable BatchNormalization weights', async () => {
      const c = capture();
      await run(['summary', ex('lstm_states.seqmodel')], c.io);
      assert.match(c.out.join('\n'), /\[\(None, 30, 64\), \(None, 64\), \(None, 64\)\]\s+17,408/);
      const b = capture();
      await run(['summary', ex('forecast.seqmodel'), '--model', 'rnn_bn'], b.io);
      assert.match(b.out.join('\n'), /Total params: 2,906\nTrainable params: 2,804\nNon-trainable params: 102/);
    });
    it('--json gives exactly the documented shape', async () => {
      const c = capture();
      assert.equal(await run(['summary', ex('forecast.seqmodel'), '--model', 'lstm', '--json'], c.io), 0);
      const json = JSON.parse(c.out.join('\n'));
      assert.deepEqual(Object.keys(json), ['file', 'models', 'diagnostics']);
      assert.deepEqual(json.models, [
        {
          name: 'lstm',
          layers: [
            { name: 'lstm', type: 'LSTM', line: 25, outputShape: [null, 50], params: 10400, trainable: 10400 },
            { name: 'dense', type: 'Dense', line: 26, outputShape: [null, 2], params: 102, trainable: 102 },
          ],
          totalParams: 10502,
          trainableParams: 10502,
          nonTrainableParams: 0,
        },
      ]);
      assert.deepEqual(json.diagnostics, []);
    });
    it('--json: several outputs are a list of shapes; a wrapper is one row', async () => {
      const c = capture();
      await run(['summary', ex('lstm_states.seqmodel'), '--model', 'model_LSTM', '--json'], c.io);
      assert.deepEqual(JSON.parse(c.out.join('')).models[0].layers[0].outputShape, [[null, 30, 64], [null, 64], [null, 64]]);
      const file = tempFile('model b {\n  input(10, 8)\n  Bidirectional(LSTM(16))\n}\n');
      const w = capture();
      await run(['summary', file, '--json'], w.io);
      assert.deepEqual(JSON.parse(w.out.join('')).models[0].layers, [{ name: 'bidirectional', type: 'Bidirectional', line: 3, outputShape: [null, 32], params: 3200, trainable: 3200 }]);
    });
    it('an unknown --model is a usage error', async () => {
      const c = capture();
      assert.equal(await run(['summary', ex('forecast.seqmodel'), '--model', 'nope'], c.io), 2);
      assert.match(c.err.join('\n'), /no model named 'nope' \(models: rnn, rnn_bn, lstm\)/);
    });
  });

  describe('check', () => {
    it('exit 0 and no diagnostics lines for the examples', async () => {
      const c = capture();
      assert.equal(await run(['check', ex('forecast.seqmodel'), ex('echo.seqmodel')], c.io), 0);
      assert.deepEqual(c.out, []);
    });
    it('prints file:line:col: severity code: message and exits 1 on errors', async () => {
      const file = tempFile('model m {\n  input(3, 1)\n  LSTM(50)\n  LSTM(20)\n}\n');
      const c = capture();
      assert.equal(await run(['check', file], c.io), 1);
      assert.equal(c.out.length, 1);
      assert.match(c.out[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:3: error missing-return-sequences: LSTM needs a sequence`));
    });
    it('--json lists the diagnostics with 1-based lines and columns', async () => {
      const file = tempFile('model m {\n  input(3, 1)\n  LTSM(50)\n}\n');
      const c = capture();
      assert.equal(await run(['check', file, '--json'], c.io), 1);
      const d = JSON.parse(c.out.join('')).diagnostics[0];
      assert.deepEqual({ ...d, message: undefined }, { severity: 'error', code: 'unknown-layer', message: undefined, line: 3, column: 3, endLine: 3, endColumn: 7 });
    });
    it('a missing file says so plainly and exits 2', async () => {
      const c = capture();
      assert.equal(await run(['check', '/nonexistent/x.seqmodel'], c.io), 2);
      assert.match(c.err.join('\n'), /\/nonexistent\/x\.seqmodel: no such file\./);
    });
    it('usage errors exit 2', async () => {
      assert.equal(await run(['check'], capture().io), 2);
      assert.equal(await run(['frobnicate'], capture().io), 2);
      assert.equal(await run(['summary', ex('forecast.seqmodel'), '--bogus'], capture().io), 2);
      assert.equal(await run([], capture().io), 2);
    });
  });

  describe('hostile input and contracts', () => {
    it('--version prints the package version', async () => {
      const c = capture();
      assert.equal(await run(['--version'], c.io), 0);
      assert.deepEqual(c.out, [JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version]);
    });
    it('refuses what is not a regular file, and files over 10 MB, before reading them', async () => {
      const c = capture();
      assert.equal(await run(['check', '/dev/zero'], c.io), 2);
      assert.match(c.err.join('\n'), /\/dev\/zero: is not a regular file \(a device, pipe or socket\)/);
      const dir = tempDir();
      const fifo = join(dir, 'f.seqmodel');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const f = capture();
      assert.equal(await run(['check', fifo], f.io), 2);
      assert.match(f.err.join('\n'), /is not a regular file/);
      const big = join(dir, 'big.seqmodel');
      writeFileSync(big, '');
      truncateSync(big, 11 * 1024 * 1024);
      const b = capture();
      assert.equal(await run(['check', big, '--json'], b.io), 2);
      assert.deepEqual(JSON.parse(b.out.join('')), {
        error: { code: 'file', message: `${big}: is 11,534,336 bytes; seqmodel reads .seqmodel files of up to 10,485,760 bytes (10 MB).` },
      });
    });
    it('every --json failure prints an error object on stdout, with the exit code it has without --json', async () => {
      const dir = tempDir();
      const cases: [string[], number, string][] = [
        [['check', join(dir, 'missing.seqmodel'), '--json'], 2, 'file'],
        [['summary', dir, '--json'], 2, 'file'],
        [['summary', ex('forecast.seqmodel'), '--model', 'nope', '--json'], 2, 'model'],
        [['check', ex('forecast.seqmodel'), '--json', '--bogus'], 2, 'usage'],
        [['train', tempFile('model m {\n  LTSM(3)\n}\n'), '--json'], 1, 'errors'],
      ];
      for (const [args, code, kind] of cases) {
        const c = capture();
        assert.equal(await run(args, c.io), code, args.join(' '));
        const o = JSON.parse(c.out.join('\n'));
        assert.equal(o.error.code, kind, args.join(' '));
        assert.ok(typeof o.error.message === 'string' && o.error.message.length > 0);
      }
    });
    it('a byte-order mark does not shift columns', async () => {
      const c = capture();
      const file = tempFile('\ufefflet x = 3x\n');
      assert.equal(await run(['check', file], c.io), 1);
      assert.match(c.out.join('\n'), /:1:9: error syntax-error: '3x' is not a number\./);
    });
    it('escapes control characters from the file in terminal output', () => {
      const file = tempFile('model m {\n  input(3, 1)\n  Dense(1, activation="\x1b]0;pwned\x07")\n}\n');
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'seqmodel.js'), 'check', file], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.doesNotMatch(r.stdout + r.stderr, /[\x00-\x08\x0b-\x1f\x7f]/);
      assert.match(r.stdout, /\\x1b\]0;pwned\\x07/);
    });
  });

  describe('the built binary', () => {
    const bin = join(ROOT, 'bin', 'seqmodel.js');
    it('runs through bin/seqmodel.js with the same exit codes', () => {
      const ok = spawnSync(process.execPath, [bin, 'check', ex('forecast.seqmodel')], { encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      const missing = spawnSync(process.execPath, [bin, 'summary', 'missing.seqmodel'], { encoding: 'utf8' });
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /missing\.seqmodel: no such file/);
    });
    it('train --json prints one JSON object per model, with the backend and predictions', function () {
      this.timeout(120000);
      const r = spawnSync(process.execPath, [bin, 'train', ex('forecast.seqmodel'), '--model', 'lstm', '--epochs', '3', '--json', '--no-save'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      const o = JSON.parse(lines[0]);
      assert.equal(o.model, 'lstm');
      assert.ok(['node', 'wasm', 'cpu'].includes(o.backend));
      assert.equal(o.epochs, 3);
      assert.equal(o.history.loss.length, 3);
      assert.ok(typeof o.seconds === 'number');
      assert.deepEqual(o.predictions[0].input, [70, 80, 90]);
      assert.equal(o.predictions[0].output.length, 2);
      const lstm = analyze(readFileSync(ex('forecast.seqmodel'), 'utf8')).models.find((m) => m.name === 'lstm')!;
      // The model's training loop first, then the recurrent layer.
      assert.deepEqual(o.paths, [describeTrainingLoop({ path: 'whole-model' }), ...describeTrainingPaths(lstm)]);
      assert.deepEqual(o.paths.map((p: { layer: string }) => p.layer), ['', 'lstm']);
    });
    it('train says per recurrent layer which path trained it and why, one line each', function () {
      this.timeout(120000);
      const source =
        'data series = window([10, 20, 30, 40, 50, 60, 70, 80, 90], steps=3, horizon=2)\n' +
        'model m {\n  input(3, 1)\n  Bidirectional(GRU(4, return_sequences=True))\n  SimpleRNN(4, name="last")\n  Dense(2)\n}\n' +
        'train m on series {\n  loss = "mse"\n  epochs = 2\n  seed = 1\n}\n';
      const file = tempFile(source);
      const r = spawnSync(process.execPath, [bin, 'train', file, '--no-save', '--backend', 'cpu'], { encoding: 'utf8', cwd: join(file, '..') });
      assert.equal(r.status, 0, r.stderr);
      const expected = describeTrainingPaths(analyze(source).models[0]).map((p) => `  layer ${p.text}`);
      assert.deepEqual(expected.map((l) => l.split(':')[0]), ['  layer bidirectional', '  layer last']);
      const lines = r.stdout.split('\n');
      assert.match(lines[0], /^m: 2 epochs in /);
      assert.match(lines[1], /^  training loop: (whole model|TensorFlow\.js — .+)$/);
      assert.deepEqual(lines.slice(2, 4), expected);
    });
    // Ctrl-C signals the terminal's whole foreground group; kill and a closed terminal signal the command alone.
    for (const [signal, group] of [['SIGINT', true], ['SIGTERM', false], ['SIGHUP', false]] as const) {
    it(`train saves a run stopped by ${signal}${group ? ' (Ctrl-C: the worker is signalled too)' : ' to the command alone'}, ends the worker and says where`, async function () {
      this.timeout(120000);
      const dir = tempDir();
      // A process group of its own, signalled as a terminal's Ctrl-C signals the foreground group.
      const child = spawn(process.execPath, [bin, 'train', ex('forecast.seqmodel'), '--model', 'lstm', '--epochs', '1000000', '--backend', 'cpu'], {
        cwd: dir,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
      const exited = once(child, 'close');
      await new Promise<void>((resolve) => child.stderr.on('data', () => /training on/.test(stderr) && resolve()));
      await new Promise((r) => setTimeout(r, 1500));
      process.kill(group ? -child.pid! : child.pid!, signal);
      const [code] = await exited;
      assert.equal(code, 1, stderr);
      assert.match(stderr, /lstm: stopped after [1-9]\d* epochs?\./);
      const saved = /saved to (.+)/.exec(stderr)?.[1];
      assert.ok(saved && saved.startsWith(join(dir, '.seqmodel', 'runs', 'lstm')), stderr);
      const runRecord = await loadRun(saved);
      assert.equal(runRecord.status, 'stopped');
      assert.ok(runRecord.hasModel);
      await new Promise((r) => setTimeout(r, 200));
      assert.throws(() => process.kill(-child.pid!, 0), /ESRCH/, 'the worker has ended too');
    });
    }
    it('train --json names the record of a run that failed after completed epochs', function () {
      this.timeout(120000);
      const file = tempFile(
        'data series = window([10, 20, 30, 40, 50, 60, 70, 80, 90], steps=3, horizon=2)\n' +
          'model lstm {\n  input(3, 1)\n  LSTM(8)\n  Dense(2)\n}\n' +
          'train lstm on series {\n  optimizer = sgd(learning_rate=100)\n  loss = "mse"\n  epochs = 50\n  batch_size = 1\n  seed = 1\n}\n',
      );
      const dir = join(file, '..');
      const r = spawnSync(process.execPath, [bin, 'train', file, '--json', '--backend', 'cpu'], { encoding: 'utf8', cwd: dir });
      assert.equal(r.status, 1, r.stderr);
      const o = JSON.parse(r.stdout.trim());
      assert.equal(o.status, 'error');
      assert.equal(o.kind, 'nan');
      assert.ok(o.history.loss.length >= 1);
      assert.deepEqual(o.paths.map((p: { layer: string; path: string }) => p.layer), ['', 'lstm'], 'the paths are known once training began');
      assert.ok(typeof o.runPath === 'string' && o.runPath.startsWith(join(dir, '.seqmodel', 'runs', 'lstm')), r.stdout);
      assert.ok(existsSync(join(o.runPath, 'meta.json')));
      assert.ok(!existsSync(join(o.runPath, 'model.json')), 'no model');
    });
    it('train reads data only inside the .seqmodel file\'s project, whatever the current folder, and never prints an outside file', function () {
      this.timeout(120000);
      const root = tempDir();
      writeFileSync(join(root, 'secret.csv'), 'x\nsecret-value-1\nsecret-value-2\n');
      const proj = join(root, 'proj');
      mkdirSync(join(proj, 'models'), { recursive: true });
      writeFileSync(join(proj, 'package.json'), '{}');
      writeFileSync(join(proj, 'bad.csv'), 'x\n1\n2\nthree\n');
      const model = (csvPath: string) =>
        `data d = window(csv(${JSON.stringify(csvPath)}), steps=2, horizon=1)\nmodel m {\n  input(2, 1)\n  SimpleRNN(2)\n  Dense(1)\n}\ntrain m on d {\n  loss = "mse"\n  epochs = 1\n}\n`;
      const file = join(proj, 'models', 'm.seqmodel');
      const train = (csvPath: string, ...flags: string[]) => {
        writeFileSync(file, model(csvPath));
        return spawnSync(process.execPath, [bin, 'train', file, '--backend', 'cpu', '--no-save', ...flags], { encoding: 'utf8', cwd: '/' });
      };
      const outside = train('../../secret.csv');
      assert.equal(outside.status, 1, outside.stderr);
      assert.match(outside.stderr, /Refusing to read "\.\.\/\.\.\/secret\.csv": it is outside the workspace folder .*--allow-outside/);
      assert.doesNotMatch(outside.stdout + outside.stderr, /secret-value/);
      const missing = train('../../nothing.csv');
      assert.equal(missing.stderr.replace(/nothing/g, 'secret'), outside.stderr, 'a missing outside file looks exactly like a refused one');
      // Inside the project (package.json marks it), one level up is fine; a data error names its place once.
      const inside = train('../bad.csv');
      assert.equal(inside.status, 1);
      assert.match(inside.stderr, /m: training failed \(data\): \.\.\/bad\.csv, line 4: /);
      assert.equal(inside.stderr.match(/bad\.csv/g)?.length, 1, inside.stderr);
      // Allowed, it is read (and its words are not numbers).
      assert.match(train('../../secret.csv', '--allow-outside').stderr, /secret\.csv, line 2: /);
    });
    it('train refuses a file with errors (exit 1) and a file without train blocks (exit 2)', () => {
      const bad = tempFile('model m {\n  LSTM(5)\n}\ntrain m on nothing { epochs = 1 }\n');
      assert.equal(spawnSync(process.execPath, [bin, 'train', bad], { encoding: 'utf8' }).status, 1);
      const none = spawnSync(process.execPath, [bin, 'train', ex('stacked_lstm.seqmodel')], { encoding: 'utf8' });
      assert.equal(none.status, 2);
      assert.match(none.stderr, /no train block/);
    });
  });
});
