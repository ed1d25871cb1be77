// Run in a child process (node --expose-gc) by test/unit/open-documents.test.ts: the server's
// analysis cache with V8's collection, a long model replaced by another text, and whether the
// previous analysis was already gone when the cache collected before analysing the new text.
import { analyze, LineIndex, type Analysis } from '../../src/language';
import { AnalysisCache } from '../../src/server/documents';
import { OpenDocument } from '../../src/server/openDocuments';

const collect = (globalThis as { gc?: () => void }).gc!;
const first = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(30000) + '}\n';
const second = 'model n {\n  input(4, 2)\n' + '  LSTM(2, return_sequences=True)\n'.repeat(9000) + '}\n';

let previous: WeakRef<Analysis> | undefined;
const collections: boolean[] = [];
const cache = new AnalysisCache(() => {
  collect();
  // Gone when nothing held it: the WeakRef was made in an earlier turn of the event loop.
  collections.push(previous?.deref() === undefined);
});
const doc = new OpenDocument('file:///m.seqmodel', 1, first, new LineIndex(first));

function open(): void {
  previous = new WeakRef(cache.get(doc));
}

async function main(): Promise<void> {
  open();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const replaced = doc.edited([{ text: second }], 2);
  cache.supersede(replaced, doc);
  const analysis = await cache.analysis(replaced);
  const fresh = analyze(second);
  console.log(JSON.stringify({ collections, same: JSON.stringify(analysis.diagnostics) === JSON.stringify(fresh.diagnostics) && JSON.stringify(analysis.models) === JSON.stringify(fresh.models) }));
}

void main();
