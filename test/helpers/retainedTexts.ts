// Run in a child process (node --expose-gc) by test/unit/retention.test.ts: edits a long model
// through the incremental analysis, a whole line pasted in at a time, and prints the live heap
// (after full collections) once the first edits are done and again after many more. Every line
// brings names, a string, a comment, and error messages quoting a name and a stray word, each
// longer than the 13 characters from which V8 makes a slice a view into the text it was cut from.
import { analysisSteps, runSteps, type Analysis } from '../../src/language';

const collect = (globalThis as { gc?: () => void }).gc!;
const LINE = '  LSTM(8, return_sequences=True, activation="not_an_activation") then_a_stray_word  # pasted in the middle\n';
const EDITS = Number(process.argv[2]);
const WARMUP = 10;

let text = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(24000) + '}\n';
let analysis: Analysis = runSteps(analysisSteps(text));
const at = text.indexOf('\n', text.length >> 1) + 1;
let before = 0;
for (let i = 0; i < WARMUP + EDITS; i++) {
  if (i === WARMUP) {
    collect();
    collect();
    before = process.memoryUsage().heapUsed;
  }
  text = text.slice(0, at) + LINE + text.slice(at);
  analysis = runSteps(analysisSteps(text, analysis, undefined, { start: at, oldEnd: at, newEnd: at + LINE.length }));
}
collect();
collect();
const after = process.memoryUsage().heapUsed;
const message = analysis.diagnostics.find((d) => d.message.includes('not_an_activation'))?.message;
console.log(JSON.stringify({ textLength: text.length, grown: after - before, message }));
