import { cpus } from 'node:os';
import { analysisSteps, analyze, changeBetween, narrowed, runSteps, type Analysis } from '../src/language';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, mainThreadCpu, ms, table } from './lib/measure';

// The analysis after a keystroke, built on the analysis before it (src/language/incremental.ts),
// against a fresh analysis of the same text, on the long documents of the pathological bench:
// CPU time of each (process.cpuUsage, so the machine's load moves it less than wall time),
// alternating in one process. Each document gets a series of editor-like edits in the middle:
// a digit of an argument changed, a layer line inserted, three new layers typed letter by
// letter (a layer's name is unknown until it is whole: the layers after it lose their shapes,
// then get them back, or new ones), the typed lines deleted, a layer's type renamed and back,
// the first layer's units changed; then, on the long models, a middle line changed again and
// again to layers that each change every later shape, so that every edit walks 50,000 lines.
// On the documents of many statements (lines of `let`, many small or named models, the
// realistic file), edits that change the names the document defines (nameEdits): a name
// renamed letter by letter, a new statement typed mid-document, a statement deleted and pasted
// back, a reference to an earlier constant typed. The results are checked equal to a fresh
// analysis's (every diagnostic, each model's counts, each layer's name and shapes, the
// constants and symbols) where the fresh one is timed.
// Each incremental figure is the process's CPU time, then (in brackets, on Linux) its main
// thread's alone: a full collection is forced before each edit so that runs compare, and V8's
// background threads then sweep the whole heap while the edit runs, which the first figure
// counts and the second leaves out (a request waits for the main thread only).
// Last, what finding a keystroke's changed part costs (src/language/commonText.ts): comparing
// the two whole texts, as the analysis and the formatting memory each did, against narrowing the
// edit's own range once, as the language server does (openDocuments.ts); alternated, per keystroke.
//
// node --import tsx --expose-gc bench/incremental.ts [size-in-bytes] [part of a document's name]

const SIZE = Number(process.argv[2]) || 1 << 20;
const ONLY = process.argv[3] ?? '';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms of one analysis: the process's (every thread) and its main thread's (NaN where unknown). */
type Cpu = { all: number; main: number };

const shown = (c: Cpu) => (Number.isNaN(c.main) ? ms(c.all) : `${ms(c.all)} (${ms(c.main)})`);

type Edit = { name: string; apply: (text: string) => string };

/** Offset of a layer line's start near the middle of the text (after a line break or a `;`). */
function middleLine(text: string): number {
  return Math.max(text.lastIndexOf('\n', text.length >> 1), text.lastIndexOf(';', text.length >> 1)) + 1;
}

/** The whole edits: each one keystroke or one paste. */
function edits(): Edit[] {
  const at = (text: string) => text.indexOf('(', middleLine(text)) + 1;
  return [
    { name: 'digit of an argument', apply: (t) => t.slice(0, at(t)) + '7' + t.slice(at(t)) },
    { name: 'digit back', apply: (t) => t.slice(0, at(t)) + t.slice(at(t) + 1) },
    { name: 'layer line inserted', apply: (t) => t.slice(0, middleLine(t)) + (t.includes('\n  Dense') ? '  Dense(4)\n' : 'Dense(4); ') + t.slice(middleLine(t)) },
  ];
}

/**
 * Layers typed a character at a time at the start of a middle line: one that keeps the shapes
 * after it (the keystrokes before it is whole make them unknown), one that changes every shape
 * after it (LSTM(4) after Dense layers on sequences: the layers after it get new shapes, walked
 * again), one that changes the next layer's only; then edits that take a layer back out.
 */
const TYPED = ['Dropout(0.5); ', 'LSTM(4); ', 'Dense(2); '];

/**
 * Layers that each give every later line of a model of `Dense(1)` on (None, 3, 1) other shapes
 * ((None, 1), (None, 1, 1), (None, 3, 1, 1), (None, 1, 1, 1)): a middle line changed from one to
 * the next in turn, one edit each, walks the lines after it again every time (no kept walk
 * stands where the new one does: four states, more than MAX_EARLIER + 1).
 */
const RESHAPING = ['LSTM(4)', 'Reshape((1, 3))', 'Reshape((3, 1, 1))', 'Reshape((1, 1, 3))'];
const CYCLED = 12;

/** Edits after the typing, each one step: the typed lines deleted (a selection), a type renamed and back, the first layer's units. */
function afterTyping(cursor: number): Edit[] {
  const word = (t: string) => t.indexOf('Dense', middleLine(t));
  const first = (t: string) => t.indexOf('Dense(') + 'Dense('.length;
  return [
    { name: 'the three typed layers deleted (one edit)', apply: (t) => t.slice(0, cursor) + t.slice(cursor + TYPED.join('').length) },
    { name: 'a type renamed: Dense → LSTM (one edit)', apply: (t) => t.slice(0, word(t)) + 'LSTM' + t.slice(word(t) + 5) },
    { name: 'renamed back: LSTM → Dense', apply: (t) => t.slice(0, t.indexOf('LSTM', middleLine(t))) + 'Dense' + t.slice(t.indexOf('LSTM', middleLine(t)) + 4) },
    { name: "first layer's units: a digit typed", apply: (t) => t.slice(0, first(t)) + '7' + t.slice(first(t)) },
    { name: '... and deleted', apply: (t) => t.slice(0, first(t)) + t.slice(first(t) + 1) },
  ];
}

/** The start of the first statement (a line starting with `model ` or `let `) after the middle of the text. */
function middleStatement(text: string): number {
  const mid = text.length >> 1;
  const at = [text.indexOf('\nmodel ', mid), text.indexOf('\nlet ', mid)].filter((i) => i >= 0);
  return Math.min(...at) + 1;
}

/** Where the name of the statement at `at` starts. */
function nameAt(text: string, at: number): number {
  return text.indexOf(' ', at) + 1;
}

/**
 * Edits that change the set of names the document defines, each typed a key at a time at the
 * middle statement: its name renamed (three letters typed before it, then deleted), a new
 * statement typed before it (a constant that refers to an earlier one on the documents of
 * constants, a model elsewhere), the middle statement deleted (one edit) and pasted back.
 */
function nameEdits(text: string): { name: string; keystrokes: (text: string) => string[] }[] {
  const lets = !text.includes('model ');
  const typed = lets ? 'let y = x1 + 2\n' : 'model q {\n  Dense(1)\n}\n';
  const keys = (t: string, at: number, piece: string) => Array.from({ length: piece.length }, (_, n) => t.slice(0, at) + piece.slice(0, n + 1) + t.slice(at));
  return [
    { name: 'the middle name renamed: "abc" typed before it', keystrokes: (t) => keys(t, nameAt(t, middleStatement(t)), 'abc') },
    {
      name: '... and deleted again',
      keystrokes: (t) => {
        const at = nameAt(t, middleStatement(t));
        return [3, 2, 1].map((n) => t.slice(0, at) + 'abc'.slice(0, n - 1) + t.slice(at + 3));
      },
    },
    { name: `a new statement typed before it: ${JSON.stringify(typed)}`, keystrokes: (t) => keys(t, middleStatement(t), typed) },
    {
      name: 'the statement after it deleted (one edit), then pasted back',
      keystrokes: (t) => {
        const at = middleStatement(t);
        const next = middleStatementAfter(t, at);
        const end = middleStatementAfter(t, next);
        return [t.slice(0, next) + t.slice(end), t];
      },
    },
  ];
}

function middleStatementAfter(text: string, at: number): number {
  const next = [text.indexOf('\nmodel ', at), text.indexOf('\nlet ', at)].filter((i) => i >= 0);
  return Math.min(...next) + 1;
}

function main(): void {
  console.log(`Analysis after an edit, incremental vs fresh, on documents of ${(SIZE / 1024).toFixed(0)} KB: CPU ms`);
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const rows: string[][] = [];
  for (const { name, text } of pathologicalDocuments(SIZE).filter((d) => d.name.includes(ONLY) && /layers|realistic|let|small models|named models/.test(d.name))) {
    let previous: Analysis = analyze(text);
    let current = text;
    /** CPU time of the incremental analysis of `next` (the process's, the main thread's) and, when asked, of a fresh one (checked equal in what it reports). */
    const step = (next: string, what: string, compare: boolean): [Cpu, number] => {
      global.gc?.();
      const m0 = mainThreadCpu();
      let c0 = cpu();
      const incremental = runSteps(analysisSteps(next, previous));
      const inc = { all: cpu() - c0, main: mainThreadCpu() - m0 };
      let full = NaN;
      if (compare) {
        global.gc?.();
        c0 = cpu();
        const scratch = analyze(next);
        full = cpu() - c0;
        const facts = (a: Analysis) =>
          JSON.stringify([a.diagnostics, a.models.map((m) => [m.name, m.params, m.layers.map((l) => [l.name, l.outputShapes]), m.valid]), a.constants, a.symbols, a.trains, a.predicts, a.data]);
        if (facts(incremental) !== facts(scratch)) throw new Error(`${name}, ${what}: the incremental analysis differs from a fresh one`);
      }
      previous = incremental;
      current = next;
      return [inc, full];
    };
    if (!/layers/.test(name)) {
      for (const edit of nameEdits(current)) {
        const times: Cpu[] = [];
        let fresh = NaN;
        const keystrokes = edit.keystrokes(current);
        keystrokes.forEach((next, n) => {
          const [inc, full] = step(next, `${edit.name}, keystroke ${n + 1}`, n === keystrokes.length - 1);
          times.push(inc);
          fresh = full;
        });
        const sorted = [...times].sort((a, b) => a.all - b.all);
        rows.push([name, `${edit.name} (${times.length} edits): median; slowest`, `${shown(sorted[times.length >> 1])}; ${shown(sorted[times.length - 1])}`, ms(fresh)]);
      }
      if (/named models/.test(name)) continue;
    }
    for (const edit of edits()) {
      const [inc, full] = step(edit.apply(current), edit.name, true);
      rows.push([name, edit.name, shown(inc), ms(full)]);
    }
    const cursor = middleLine(current);
    let at = cursor;
    for (const piece of TYPED) {
      const typed: Cpu[] = [];
      let fresh = NaN;
      for (let n = 0; n < piece.length; n++) {
        // The last keystroke is compared with a fresh analysis (the tests compare every keystroke).
        const [inc, full] = step(current.slice(0, at + n) + piece[n] + current.slice(at + n), `"${piece.slice(0, n + 1)}" typed`, n === piece.length - 1);
        typed.push(inc);
        fresh = full;
      }
      at += piece.length;
      const median = [...typed].sort((a, b) => a.all - b.all)[typed.length >> 1];
      const slowest = typed.indexOf(typed.reduce((a, b) => (b.all > a.all ? b : a)));
      rows.push([name, `"${piece.trim()}" typed (${piece.length} keystrokes): median; slowest (after "${piece.slice(0, slowest + 1).trim()}")`, `${shown(median)}; ${shown(typed[slowest])}`, ms(fresh)]);
    }
    for (const edit of afterTyping(cursor)) {
      const [inc, full] = step(edit.apply(current), edit.name, true);
      rows.push([name, edit.name, shown(inc), ms(full)]);
    }
    if (/layers/.test(name)) {
      // The second Dense(1) from the middle line on (the line before the middle one is the
      // Dense(4) inserted above: a Reshape after it would be an error), replaced in turn by each
      // of RESHAPING, on the (None, 3, 1) of the Dense(1) before it.
      const start = current.indexOf('Dense(1)', current.indexOf('Dense(1)', middleLine(current)) + 1);
      let end = current.indexOf(')', start) + 1;
      const cycled: Cpu[] = [];
      let fresh = NaN;
      for (let n = 0; n < CYCLED; n++) {
        const layer = RESHAPING[n % RESHAPING.length];
        const [inc, full] = step(current.slice(0, start) + layer + current.slice(end), `${layer} in the middle`, n === CYCLED - 1);
        end = start + layer.length;
        cycled.push(inc);
        fresh = full;
      }
      const sorted = [...cycled].sort((a, b) => a.all - b.all);
      rows.push([name, `a middle line changed ${CYCLED} times to layers that change every later shape: median; slowest`, `${shown(sorted[CYCLED >> 1])}; ${shown(sorted[CYCLED - 1])}`, ms(fresh)]);
    }
  }
  table(['document', 'edit in the middle', 'incremental (main thread)', 'fresh'], rows);
  console.log(`\nload average: ${loadAverage()}\n`);
  changeFinding();
  console.log(`\nload average at end: ${loadAverage()}`);
}

/** Keystrokes timed per way of finding the change, in each of the alternating rounds. */
const KEYSTROKES = 400;

/**
 * Per document, a character typed at a middle line: the main thread's CPU time of finding the
 * changed part by comparing the old and new texts twice (the analysis's and the formatting
 * memory's, before they shared one) against narrowing the typed range once; median of 10 rounds.
 */
function changeFinding(): void {
  const rows: string[][] = [];
  for (const { name, text } of pathologicalDocuments(SIZE).filter((d) => d.name.includes(ONLY))) {
    const at = middleLine(text);
    // A new string per keystroke, flat as the server's is by then (its line index has read it).
    const typed = Array.from({ length: KEYSTROKES }, (_, k) => {
      const t = text.slice(0, at) + String.fromCharCode(97 + (k % 26)) + text.slice(at);
      t.charCodeAt(t.length - 1);
      return t;
    });
    const rounds: { compared: number; told: number }[] = [];
    let sink = 0;
    for (let round = 0; round < 10; round++) {
      let m0 = mainThreadCpu();
      for (const t of typed) sink += changeBetween(text, t).start + changeBetween(text, t).newEnd;
      const compared = mainThreadCpu() - m0;
      m0 = mainThreadCpu();
      for (const t of typed) sink += narrowed(text, t, { start: at, oldEnd: at, newEnd: at + 1 }).newEnd;
      rounds.push({ compared, told: mainThreadCpu() - m0 });
    }
    if (sink < 0) console.log(sink);
    const median = (key: 'compared' | 'told') => rounds.map((r) => r[key]).sort((a, b) => a - b)[rounds.length >> 1] / KEYSTROKES;
    const us = (x: number) => `${(x * 1000).toFixed(1)} µs`;
    rows.push([name, us(median('compared')), us(median('told'))]);
  }
  table(['document', 'compared twice, per keystroke', 'range narrowed once'], rows);
}

main();
