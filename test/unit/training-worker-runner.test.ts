// The runner against stand-in workers (tiny scripts), for behaviours a real training worker
// never shows on purpose: ignoring stop, exiting without a word, hanging after its report.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startTraining } from '../../src/training/runner';
import { request } from './training-fixtures';
import { useTempDir } from '../helpers/temp-dir';

describe('training runner (parent side) with stand-in workers', function () {
  this.timeout(20000);
  const dir = useTempDir('runner');
  const worker = (name: string, source: string): string => {
    const file = path.join(dir(), name);
    writeFileSync(file, source);
    return file;
  };


  it('kills a worker that ignores stop, and reports the run as stopped (killed)', async () => {
    const deaf = worker(
      'deaf.js',
      `process.on('message', (m) => {
         if (m.type === 'start') process.send({ type: 'epoch', epoch: 1, epochs: 9, loss: 0.5, valLoss: 0.7, metrics: { mae: 0.1, val_mae: 0.2 }, seconds: 0.1 });
       });
       setInterval(() => {}, 1000);`,
    );
    const run = startTraining(request(dir()), { workerPath: deaf, stopTimeoutMs: 300 });
    // Stop once the worker has reported its epoch (a loaded machine may take long to start it).
    await new Promise((r) => run.once('progress', r));
    const asked = performance.now();
    run.stop();
    const outcome = await run.result;
    const ms = performance.now() - asked;
    assert.equal(outcome.status, 'stopped');
    assert.ok(outcome.status === 'stopped' && outcome.killed);
    // Killed when the stop timeout ran out, not at once (the upper bound only catches a hang).
    assert.ok(ms >= 250 && ms < 10_000, `${ms} ms`);
    // The epochs reported before the kill are kept, in Keras's order.
    assert.deepEqual(outcome.stopped.history, { loss: [0.5], mae: [0.1], val_loss: [0.7], val_mae: [0.2] });
    assert.equal(outcome.stopped.epochs, 1);
  });

  it('does not kill a worker that honoured the stop and is saving the run (stopping), and relays where it saved it', async () => {
    const saver = worker(
      'saver.js',
      `process.on('message', (m) => {
         if (m.type === 'start') {
           process.send({ type: 'epoch', epoch: 1, epochs: 9, loss: 0.5, valLoss: null, metrics: {}, seconds: 0.1 });
           return;
         }
         // Stop honoured at once, then a save slower than the parent's stop timeout.
         process.send({ type: 'stopping' });
         setTimeout(() => process.send({ type: 'stopped', history: { loss: [0.5] }, epochs: 1, seconds: 0.1, runPath: '/runs/lstm/1' }, () => process.exit(0)), 800);
       });
       setInterval(() => {}, 1000);`,
    );
    const run = startTraining(request(dir()), { workerPath: saver, stopTimeoutMs: 300 });
    await new Promise<void>((resolve) => run.on('progress', () => resolve()));
    run.stop();
    const outcome = await run.result;
    if (outcome.status !== 'stopped') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.killed, false, 'not killed while saving');
    assert.equal(outcome.stopped.runPath, '/runs/lstm/1');
  });

  it('a second stop() while the worker saves kills it', async () => {
    const stuck = worker(
      'stuck.js',
      `process.on('message', (m) => { if (m.type === 'stop') process.send({ type: 'stopping' }); });
       setInterval(() => {}, 1000);`,
    );
    const run = startTraining(request(dir()), { workerPath: stuck, stopTimeoutMs: 300 });
    await new Promise((r) => setTimeout(r, 300));
    run.stop();
    await new Promise((r) => setTimeout(r, 600));
    const asked = performance.now();
    run.stop();
    const outcome = await run.result;
    assert.ok(outcome.status === 'stopped' && outcome.killed);
    assert.ok(performance.now() - asked < 1000);
  });

  it('a second stop() kills at once', async () => {
    const deaf = worker('deaf2.js', `process.on('message', () => {}); setInterval(() => {}, 1000);`);
    const run = startTraining(request(dir()), { workerPath: deaf, stopTimeoutMs: 10000 });
    await new Promise((r) => setTimeout(r, 300));
    const asked = performance.now();
    run.stop();
    run.stop();
    const outcome = await run.result;
    assert.equal(outcome.status, 'stopped');
    assert.ok(performance.now() - asked < 2000);
  });

  it('a worker that exits without a report is crashed, with its exit code and last output', async () => {
    const quitter = worker('quitter.js', `process.on('message', () => { console.error('libfoo: bad things'); process.exit(3); });`);
    const outcome = await startTraining(request(dir()), { workerPath: quitter }).result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'crashed');
    assert.match(outcome.error.message, /exited with code 3/);
    assert.match(outcome.error.message, /libfoo: bad things/);
  });

  it('a native crash (SIGSEGV) suggests another backend', async () => {
    const segv = worker('segv.js', `process.on('message', () => process.kill(process.pid, 'SIGSEGV'));`);
    const outcome = await startTraining(request(dir()), { workerPath: segv }).result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'crashed');
    assert.match(outcome.error.message, /killed by SIGSEGV/);
    assert.match(outcome.error.hint ?? '', /another backend/);
  });

  it('relays progress and the final report, ignores malformed messages, and ends a worker that lingers', async () => {
    const chatty = worker(
      'chatty.js',
      `process.on('message', (m) => {
         if (m.type !== 'start') return;
         process.send({ nonsense: true });
         process.send({ type: 'epoch', epoch: 1, epochs: 1, loss: 0.5, valLoss: null, metrics: {}, seconds: 0.1 });
         process.send({ type: 'done', history: { loss: [0.5] }, predictions: [], backend: 'cpu', epochs: 1, seconds: 0.1, runPath: null });
         // ... and never exits.
         setInterval(() => {}, 1000);
       });`,
    );
    const run = startTraining(request(dir()), { workerPath: chatty, exitGraceMs: 200 });
    const progress: unknown[] = [];
    run.on('progress', (m) => progress.push(m));
    let doneEvents = 0;
    run.on('done', () => doneEvents++);
    const outcome = await run.result;
    assert.equal(outcome.status, 'done');
    assert.equal(doneEvents, 1);
    assert.equal(progress.length, 1);
  });

  it('stop() before the worker starts never starts it', async () => {
    const never = worker('never.js', `throw new Error('should not run');`);
    const run = startTraining(request(dir()), { workerPath: never });
    run.stop();
    const outcome = await run.result;
    assert.equal(outcome.status, 'stopped');
    assert.equal(run.pid, undefined);
  });
});
