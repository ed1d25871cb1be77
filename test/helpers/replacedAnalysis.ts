// Run in a child process (node --expose-gc) by test/unit/retention.test.ts: analyses a long
// model, then a text that replaces it (`share` of it changed: a whole text pasted over, or an
// edit of half), with the first analysis as the previous one, and prints whether that previous
// analysis could be collected while the new one ran, and whether the new one equals a fresh one.
import { strict as assert } from 'node:assert';
import { analysisSteps, changeBetween, runSteps, type Analysis } from '../../src/language';

const collect = (globalThis as { gc?: () => void }).gc!;
const share = Number(process.argv[2]);
const lines = 20000;
const oldText = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(lines) + '}\n';
// The new text keeps the old one's head up to `share` of its lines from the end.
const kept = Math.round(lines * (1 - share));
const text = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(kept) + '  LSTM(4, return_sequences=True)\n'.repeat(lines - kept) + '}\n';

function start(): { steps: ReturnType<typeof analysisSteps>; previous: WeakRef<Analysis> } {
  const previous = runSteps(analysisSteps(oldText));
  return { steps: analysisSteps(text, previous, undefined, changeBetween(oldText, text)), previous: new WeakRef(previous) };
}

async function main(): Promise<void> {
  const { steps, previous } = start();
  let r = steps.next();
  // A WeakRef holds its target until the current job ends: the check waits a turn of the event loop.
  for (let i = 0; i < 3 && !r.done; i++) r = steps.next();
  await new Promise((resolve) => setTimeout(resolve, 0));
  collect();
  const collected = previous.deref() === undefined;
  while (!r.done) r = steps.next();
  assert.deepEqual(r.value.diagnostics, runSteps(analysisSteps(text)).diagnostics);
  assert.deepEqual(r.value.models, runSteps(analysisSteps(text)).models);
  console.log(JSON.stringify({ collected }));
}

void main();
