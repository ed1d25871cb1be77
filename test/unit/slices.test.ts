import { strict as assert } from 'node:assert';
import { CancellationTokenSource, ResponseError } from 'vscode-languageserver';
import { inSlices, SlicedWork, SLICE_MS, waitForAnswers } from '../../src/server/slices';
import type { Steps } from '../../src/language';

/** Steps that each busy-wait `ms` and record their name in `log`. */
function* busy(name: string, steps: number, ms: number, log: string[]): Steps<string> {
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    while (performance.now() - t0 < ms);
    log.push(name);
    yield;
  }
  return name;
}

describe('work in slices (src/server/slices.ts)', () => {
  it('runs a background work alone in slices, with turns of the event loop between them', async () => {
    const log: string[] = [];
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    const value = await new SlicedWork(busy('analysis', 8, SLICE_MS / 2, log)).run(() => undefined);
    clearInterval(tick);
    assert.equal(value, 'analysis');
    assert.equal(log.length, 8);
    assert.ok(turns >= 1, 'timers ran between slices');
  });

  it("gives a request's work every turn while it runs: a running background work waits, then goes on", async () => {
    const log: string[] = [];
    const analysis = new SlicedWork(busy('analysis', 20, SLICE_MS / 2, log)).run(() => undefined);
    // Let the analysis run a few slices first, as after a keystroke.
    await new Promise((r) => setTimeout(r, 3 * SLICE_MS));
    const before = log.length;
    assert.ok(before > 0 && before < 20);
    const formatting = await inSlices(busy('request', 12, SLICE_MS / 2, log), undefined);
    assert.equal(formatting, 'request');
    const during = log.slice(before);
    const first = during.indexOf('request');
    const last = during.lastIndexOf('request');
    assert.deepEqual(
      during.slice(first, last + 1).filter((n) => n === 'analysis'),
      [],
      `no analysis step between the request's first and last: ${during.join(' ')}`,
    );
    assert.equal(await analysis, 'analysis', 'the analysis ends once the request is answered');
    assert.equal(log.filter((n) => n === 'analysis').length, 20);
  });

  it('lets background work go on once a request is cancelled or its document changed', async () => {
    const log: string[] = [];
    const source = new CancellationTokenSource();
    const request = inSlices(busy('request', 1000, SLICE_MS / 2, log), source.token);
    const analysis = new SlicedWork(busy('analysis', 5, 1, log)).run(() => undefined);
    await new Promise((r) => setTimeout(r, 2 * SLICE_MS));
    source.cancel();
    await assert.rejects(request, (e: unknown) => e instanceof ResponseError);
    assert.equal(await analysis, 'analysis');
    let stale = false;
    const modified = inSlices(busy('request', 1000, SLICE_MS / 2, log), undefined, () => (stale ? new ResponseError(-32801, 'modified') : undefined));
    const second = new SlicedWork(busy('analysis', 5, 1, log)).run(() => undefined);
    await new Promise((r) => setTimeout(r, 2 * SLICE_MS));
    stale = true;
    await assert.rejects(modified, (e: unknown) => e instanceof ResponseError);
    assert.equal(await second, 'analysis');
  });

  it("lets background work go on after a request's steps threw", async () => {
    const log: string[] = [];
    function* failing(): Steps<never> {
      yield* busy('request', 3, SLICE_MS * 0.6, log);
      throw new Error('engine bug');
    }
    const request = assert.rejects(inSlices(failing(), undefined), /engine bug/);
    const analysis = new SlicedWork(busy('analysis', 3, 1, log)).run(() => undefined);
    await request;
    assert.equal(await analysis, 'analysis');
    assert.deepEqual(log, ['request', 'request', 'request', 'analysis', 'analysis', 'analysis']);
  });

  it('starts a request before background work started in the same turn, however long its first step', async () => {
    const log: string[] = [];
    const analysis = new SlicedWork(busy('analysis', 2, 3 * SLICE_MS, log)).run(() => undefined);
    const request = inSlices(busy('request', 2, 1, log), undefined);
    assert.equal(await request, 'request');
    assert.equal(await analysis, 'analysis');
    assert.deepEqual(log, ['request', 'request', 'analysis', 'analysis']);
  });

  it("gives background work no slice between a request's last step and the turn its answer is written in", async () => {
    const log: string[] = [];
    const analysis = new SlicedWork(busy('analysis', 40, SLICE_MS / 4, log)).run(() => undefined);
    await new Promise((r) => setTimeout(r, 2 * SLICE_MS));
    // As vscode-jsonrpc's stdio writer does: the answer is written in the turn after the work ends.
    const written = new Promise<void>((resolve) =>
      inSlices(busy('request', 3, 1, log), undefined).then(() =>
        setImmediate(() => {
          log.push('answer written');
          resolve();
        }),
      ),
    );
    await written;
    const last = log.lastIndexOf('request');
    assert.deepEqual(log.slice(last + 1, log.indexOf('answer written')), [], `between the work and its answer: ${log.slice(last).join(' ')}`);
    assert.equal(await analysis, 'analysis');
  });

  it('keeps background work waiting while the server says answers are still being written', async () => {
    const log: string[] = [];
    let writing = true;
    waitForAnswers(() => writing);
    try {
      const analysis = new SlicedWork(busy('analysis', 3, 1, log)).run(() => undefined);
      await new Promise((r) => setTimeout(r, 3 * SLICE_MS));
      assert.deepEqual(log, [], 'no slice while an answer is being written');
      writing = false;
      assert.equal(await analysis, 'analysis');
      assert.equal(log.length, 3);
    } finally {
      waitForAnswers(() => false);
    }
  });
});
