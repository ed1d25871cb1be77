import { strict as assert } from 'node:assert';
import { FLOOR_BYTES, GROWTH_BYTES, IdleCollection } from '../../src/server/idleCollection';

const MB = 1024 * 1024;
const QUIET = 150;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An IdleCollection over a heap of `size` bytes that a collection shrinks to `after(size)`. */
function heap(size: number, after: (size: number) => number = () => 100 * MB) {
  const state = { size, collections: 0 };
  const idle = new IdleCollection(
    () => {
      state.collections++;
      state.size = after(state.size);
    },
    () => state.size,
    QUIET,
  );
  return { state, idle };
}

describe('a full collection in the quiet after big analyses (idleCollection.ts)', () => {
  it('collects once the messages stop, when the heap has grown past the floor', async () => {
    const { state, idle } = heap(FLOOR_BYTES + 50 * MB);
    idle.activity();
    await wait(QUIET / 2);
    assert.equal(state.collections, 0, 'not while messages may still come');
    await wait(QUIET * 2);
    assert.equal(state.collections, 1);
  });

  it('waits for the quiet: every message starts it again', async () => {
    const { state, idle } = heap(FLOOR_BYTES + 50 * MB);
    for (let i = 0; i < 6; i++) {
      idle.activity();
      await wait(QUIET / 5);
    }
    assert.equal(state.collections, 0, 'messages kept coming');
    await wait(QUIET * 2);
    assert.equal(state.collections, 1);
  });

  it('leaves a heap under the floor alone', async () => {
    const { state, idle } = heap(FLOOR_BYTES - MB);
    idle.activity();
    await wait(QUIET * 3);
    assert.equal(state.collections, 0);
  });

  it('collects again only after the heap grew by GROWTH_BYTES since the last collection', async () => {
    // Big analyses that stay live: the collection gives little back, and quiet after quiet must not pause again for it.
    const { state, idle } = heap(FLOOR_BYTES + 100 * MB, (size) => size - 10 * MB);
    idle.activity();
    await wait(QUIET * 3);
    assert.equal(state.collections, 1);
    const kept = state.size;
    state.size = kept + GROWTH_BYTES - MB;
    idle.activity();
    await wait(QUIET * 3);
    assert.equal(state.collections, 1, 'grown by less than GROWTH_BYTES');
    state.size = kept + GROWTH_BYTES + MB;
    idle.activity();
    await wait(QUIET * 3);
    assert.equal(state.collections, 2);
  });

});
