import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { pathologicalDocuments, seeded } from '../../bench/lib/pathological';
import { analysisSteps, analyze, arraysMade, LineIndex, parse, runSteps, watchIncrementalFailures, type Analysis, type Ast, type LayerInfo } from '../../src/language';
import { exampleTexts } from '../helpers/engine';
import { fuzzRuns } from '../helpers/fuzzRuns';
import { lineStarts } from '../helpers/lineStarts';

// The analysis after an edit is built from the analysis before it (src/language/incremental.ts):
// it must be exactly what a fresh analysis of the new text gives, whatever the edit, the
// document and its line endings, and it must take over the untouched layers (the same objects)
// rather than analyse them again, and outside any model parse again only around the edit, also
// in documents of junk, lone braces or line breaks alone.


/** Everything an analysis answers from. */
function view(a: Analysis): unknown {
  return {
    text: a.text,
    lines: lineStarts(a.lines),
    document: a.document,
    diagnostics: a.diagnostics,
    constants: a.constants,
    models: a.models,
    data: a.data,
    trains: a.trains,
    predicts: a.predicts,
    symbols: a.symbols,
    // By name: the map's order is not part of the analysis (an edit that renames a model sets it anew).
    details: [...a.modelDetails].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([name, d]) => [name, d.info, d.calls, d.inputInsertAt, d.missingInput]),
  };
}

const LAYERS = [
  'Dense(4)',
  'Dense(1, activation="relu")',
  'Dropout(0.2)',
  'LSTM(8, return_sequences=True)',
  'LSTM(units)',
  'GRU(3)',
  'Bidirectional(LSTM(4, return_sequences=True))',
  'TimeDistributed(Dense(2))',
  'Dense(',
  'LSTM(4,\n    return_sequences=True)',
  'Flatten()',
  'Dense(2) # a comment',
  'RepeatVector(3)',
  'Nope(3)',
  'LSTMCell(4)',
  '(Dense(5))',
  'Dense(3); Dropout(0.1)',
  'input(3, 2)',
  'Dense(1e20)',
];

/** A document of a few models of random layer lines, a constant they use, and statements after them. */
function document(random: () => number, layers: number): string {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const lines = ['let units = 6', '# models follow', ''];
  for (let m = 0; m < 2; m++) {
    lines.push(`model m${m} {`, random() < 0.8 ? '  input(5, 3)' : '  LSTM(4, input_shape=(5, 3), return_sequences=True)');
    for (let i = 0; i < layers; i++) lines.push(`  ${pick(LAYERS)}`);
    lines.push('}', '');
  }
  lines.push('data d = csv("x.csv", target="y", window=5)', 'train m0 on d {', '  epochs = 3', '}', 'predict m1 [[1, 2, 3]]');
  return lines.join('\n');
}

/** A block of statements that refer to each other: constants (one a tuple) models use, models trained and predicted, one without an input trained, one not referred to. */
function referring(i: number): string {
  return (
    `let k${i} = ${i}\nlet s${i} = (3, ${i + 1})\nmodel m${i} {\n  input(3, 1)\n  Dense(k${i} + 1)\n}\nmodel n${i} {\n  LSTM(4)\n}\n` +
    `model p${i} {\n  input(s${i})\n  Dense(1)\n}\nmodel t${i} {\n  GRU(2)\n}\ndata d${i} = window([1, 2, 3, 4, 5, 6], steps=3)\n` +
    `train m${i} on d${i} {\n  epochs = 2\n}\ntrain t${i} on d${i} {\n  epochs = 2\n}\npredict m${i} [1, 2, 3]\n# block ${i}\n`
  );
}

const PIECES = ['', '\n', '\r\n', '\r', 'Dense(4)\n  ', 'Dropout(0.5)', 'LSTM(2, return_sequences=True)\n', ')', '(', ',', '1', '0', 'x', '}', '{', '"', '#', ';', 'name="a"', 'units', '//', ' ', 'input(3, 1)\n', 'Bidirectional(GRU(2))', '[', 'model q {'];

function endings(text: string, style: number): string {
  return style === 0 ? text : text.replace(/\n/g, style === 1 ? '\r\n' : '\r');
}

/**
 * Applies edits one after another, each analysed from the analysis before it, and compares with
 * a fresh analysis. Every other edit is told as its own range (as the language server tells the
 * edit's ranges, which need not be the shortest change: a piece typed over the same text; here
 * widened by up to two characters each side), the others found by comparing the texts. Counts the edits built on the analysis before (`spent`: asked for its own
 * text again, a built-on analysis is no answer), those that kept statements of its tree, and
 * those that took layers of a long model's walk over.
 */
function checkChain(start: string, edits: [number, number, string][], countSpent = false, place = (text: string, at: number) => at % (text.length + 1)): { incremental: number; reused: number; spent: number } {
  let text = start;
  let analysis = analyze(text);
  let incremental = 0;
  let reused = 0;
  let spent = 0;
  for (const [k, [at, length, piece]] of edits.entries()) {
    const from = place(text, at);
    const before = text;
    const to = Math.min(text.length, from + length);
    text = text.slice(0, from) + piece + text.slice(to);
    const layers = new Set<LayerInfo>(analysis.models.flatMap((m) => m.layers));
    const statements = new Set<Ast.Statement>(analysis.document.statements);
    const wide = at % 3;
    const start = Math.max(0, from - wide);
    const oldEnd = Math.min(before.length, to + wide);
    const told = k % 2 === 0 ? { start, oldEnd, newEnd: oldEnd + piece.length - (to - from) } : undefined;
    const next = runSteps(analysisSteps(text, analysis, undefined, told));
    assert.deepStrictEqual(view(next), view(analyze(text)), JSON.stringify([before, from, length, piece]));
    // Built on the old analysis: statements of its tree (those before the edit), and layers of a long model's walk.
    if (next.document.statements.some((s) => statements.has(s))) incremental++;
    if (next.models.some((m) => m.layers.some((l) => layers.has(l)))) reused++;
    // A fresh analysis of the text before when not built on: asked only where counted.
    if (countSpent && before !== text && runSteps(analysisSteps(before, analysis)) !== analysis) spent++;
    analysis = next;
  }
  return { incremental, reused, spent };
}

describe('incremental analysis: an edit inside a model gives exactly a fresh analysis', function () {
  // Property tests of many analyses of long models: seconds each, several times that on a loaded machine.
  this.timeout(120_000);
  let failures: unknown[] = [];
  beforeEach(() => {
    failures = [];
    watchIncrementalFailures((e) => failures.push(e));
  });
  afterEach(() => {
    watchIncrementalFailures(undefined);
    assert.deepEqual(failures, [], 'the incremental analysis threw');
  });

  for (const [style, name] of ['LF', 'CRLF', 'CR'].entries()) {
    it(`random edits of random models (${name}), chained`, () => {
      let total = 0;
      let taken = 0;
      let layersTaken = 0;
      fc.assert(
        fc.property(fc.nat(), fc.integer({ min: 1, max: 80 }), fc.array(fc.tuple(fc.nat(), fc.nat(12), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 12 }), (seed, layers, edits) => {
          const start = endings(document(seeded(seed), layers), style);
          // Most edits land inside a model's block: the region the incremental path handles.
          const { incremental, reused } = checkChain(start, edits);
          total += edits.length;
          taken += incremental;
          layersTaken += reused;
        }),
        { numRuns: fuzzRuns(120), seed: 41 + style },
      );
      // The property holds whichever path runs. Chained random edits soon break a model's braces
      // (then every later edit is outside a block and analysed afresh): a fifth must still be incremental.
      assert.ok(taken > total * 0.2, `${taken} of ${total} edits analysed incrementally`);
      // Models of 32 lines and more keep a walk record: their untouched layers are taken over.
      assert.ok(layersTaken > total * 0.05, `${layersTaken} of ${total} edits took layers over`);
    });
  }

  it('random edits of the examples', () => {
    fc.assert(
      fc.property(fc.constantFrom(...exampleTexts()), fc.array(fc.tuple(fc.nat(), fc.nat(20), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 10 }), (start, edits) => {
        checkChain(start, edits);
      }),
      { numRuns: fuzzRuns(80), seed: 7 },
    );
  });

  it('edits of long models at 16 KB (pathological shapes): every one incremental, each equal to a fresh analysis', () => {
    for (const { name, text } of pathologicalDocuments(1 << 14).filter((d) => /layers|many layers/.test(d.name))) {
      const random = seeded(name.length);
      const edits: [number, number, string][] = [];
      for (let i = 0; i < 12; i++) edits.push([30 + Math.floor(random() * (text.length - 40)), Math.floor(random() * 4), ['Dense(7)', '\n  Dense(3)', '', '2', 'LSTM('][i % 5]]);
      const { reused } = checkChain(text, edits);
      assert.ok(reused >= 10, `${name}: ${reused} of ${edits.length} edits took layers over`);
    }
  });

  it("typing in a long model and deleting what was typed: each walk's per-line columns are mostly those of a walk no longer read, the analysis exact", () => {
    // A walk record's columns are typed arrays outside V8's heap; a keystroke in a long model used
    // to make seven new ones and leave the last walk's as garbage (walkRecord.ts, `spare`).
    let current = 'model m {\n  input(3, 1)\n' + '  Dense(4)\n'.repeat(2000) + '}\n';
    let analysis = runSteps(analysisSteps(current));
    const made = arraysMade();
    // A new line typed a key at a time, `L` an unknown layer (the walk before it is kept to return
    // to) and `LSTM(2)` a layer that changes every later shape; then deleted a key at a time, which
    // returns to the kept walk's shapes.
    const keys = [...'\n  LSTM(2)'];
    let at = current.indexOf('  Dense(4)', current.length >> 1);
    for (const key of keys) {
      current = current.slice(0, at) + key + current.slice(at);
      analysis = runSteps(analysisSteps(current, analysis, undefined, { start: at, oldEnd: at, newEnd: at + 1 }));
      at++;
    }
    for (let k = 0; k < keys.length; k++) {
      at--;
      current = current.slice(0, at) + current.slice(at + 1);
      analysis = runSteps(analysisSteps(current, analysis, undefined, { start: at, oldEnd: at + 1, newEnd: at }));
    }
    const walks = 2 * keys.length;
    assert.ok(arraysMade() - made <= (7 * walks) / 4, `${arraysMade() - made} columns made for ${walks} walks of seven`);
    // Only now a fresh analysis (which may take spare columns too), of the text the chain began with.
    // The other tests here compare every analysis of such chains with a fresh one.
    assert.deepStrictEqual(view(analysis), view(analyze(current)));
  });

  it('typing among thousands of problems: the lists of the problems are made from those of the analysis before, the analysis exact', () => {
    // Each keystroke's analysis merges the parse's and the pass's problems into new lists (9
    // bytes a problem, outside V8's heap); the last analysis's lists are dead once it is spent
    // (spareArrays.ts).
    let current = Array.from({ length: 3000 }, (_, i) => `let x${i} = ${i}\n@@ junk\n`).join('');
    let analysis = runSteps(analysisSteps(current));
    const made = arraysMade();
    let at = current.indexOf('= 1500') + 6;
    const keys = [...'7 + 1 + x3'];
    for (const key of keys) {
      current = current.slice(0, at) + key + current.slice(at);
      analysis = runSteps(analysisSteps(current, analysis, undefined, { start: at, oldEnd: at, newEnd: at + 1 }));
      at++;
    }
    // Without: three lists of three arrays a keystroke (the parse's, the pass's moved, then replaced).
    assert.ok(arraysMade() - made <= (9 * keys.length) / 4, `${arraysMade() - made} arrays made for ${keys.length} keystrokes`);
    assert.ok(analysis.diagnostics.length > 400, 'thousands of problems, hundreds listed');
    assert.deepStrictEqual(view(analysis), view(analyze(current)));
  });

  it('a long model cut below 32 lines and grown past them again, in each line-ending style: every analysis equal to a fresh one', () => {
    // Under 32 lines a model's walk keeps no per-line record, unless it takes lines over from a
    // long model's (walkRecord.ts): the cut takes them over, the next edits walk it whole, and
    // pasting the lines back makes it long again.
    const layers = ['Dense(4)', 'LSTM(3, return_sequences=True)', 'Dropout(0.5)'];
    const body = Array.from({ length: 40 }, (_, i) => `  ${layers[i % 3]}\n`).join('');
    for (const [style, name] of ['LF', 'CRLF', 'CR'].entries()) {
      const start = endings(`model m {\n  input(5, 2)\n${body}}\nlet unused = 1\n`, style);
      const eol = ['\n', '\r\n', '\r'][style];
      const from = start.indexOf('Dense');
      let to = from;
      for (let k = 0; k < 20; k++) to = start.indexOf(eol, to) + eol.length;
      const edits: [number, number, string][] = [
        [from, to - from, ''],
        [from + 1, 0, 'x'],
        [from + 1, 1, ''],
        [from, 0, start.slice(from, to)],
        [from + 2, 0, '7'],
      ];
      const { incremental } = checkChain(start, edits, false, (_, at) => at);
      assert.ok(incremental >= 3, `${name}: ${incremental} of ${edits.length} edits analysed incrementally`);
    }
  });

  it('edits anywhere in a realistic file, many small models and lines of let at 16 KB: the statements and models not parsed again are taken as they were', () => {
    for (const { name, text } of pathologicalDocuments(1 << 14).filter((d) => /realistic|small models|lines of let/.test(d.name))) {
      const random = seeded(name.length);
      const edits: [number, number, string][] = [];
      // Inside a layer's parentheses (after a `(`), and anywhere.
      for (let i = 0; i < 12; i++) {
        const at = i % 2 ? Math.floor(random() * text.length) : text.indexOf('(', Math.floor(random() * text.length)) + 1;
        edits.push([at, i % 3, ['7', '', '1, ', 'x', '\n', 'let z = 1\n'][i % 6]]);
      }
      const { incremental } = checkChain(text, edits);
      assert.ok(incremental >= 8, `${name}: ${incremental} of ${edits.length} edits analysed incrementally`);
    }
  });

  // After an edit, only its statements and those whose part it can change are analysed again
  // (src/language/statementPass.ts): those that look up a name it defines or defined, what
  // depends on them in turn, the other definitions of a name typed or deleted, the models a
  // changed training trains, a definition that becomes used or unused. The symbols of the
  // other statements stay the same objects; a full pass makes them all anew.
  const takenAlone = (before: Analysis, after: Analysis) => after.symbols.includes(before.symbols[0]);
  const blocks = (count: number) => Array.from({ length: count }, (_, i) => referring(i)).join('\n');
  function editsAlone(start: string, edits: [string, string, boolean][]): void {
    let text = start;
    let analysis = analyze(text);
    const taken: boolean[] = [];
    for (const [find, replace] of edits) {
      const at = text.indexOf(find);
      assert.ok(at >= 0, find);
      const next = text.slice(0, at) + replace + text.slice(at + find.length);
      const after = runSteps(analysisSteps(next, analysis));
      assert.deepStrictEqual(view(after), view(analyze(next)), replace);
      taken.push(takenAlone(analysis, after));
      text = next;
      analysis = after;
    }
    assert.deepEqual(taken, edits.map(([, , alone]) => alone));
  }

  it('model headers typed without their closing brace, 80 of them: each parsed again with the next, analysed alone; each analysis equal to a fresh one', () => {
    // Every header left open is parsed again with the next one typed after it: 64 and more
    // statements parsed again at each edit once enough are typed, which once sent every such
    // edit to the full pass (33 ms a keystroke among a megabyte of small models, 3 before).
    const start = Array.from({ length: 100 }, (_, i) => `model m${i} {\n  input(3, 1)\n  Dense(${i + 1})\n}\n`).join('');
    let text = start;
    let analysis = analyze(text);
    let at = start.indexOf('model m50');
    const alone: number[] = [];
    for (let k = 0; k < 80; k++) {
      const header = `model typed${k} {\n`;
      text = text.slice(0, at) + header + text.slice(at);
      const after = runSteps(analysisSteps(text, analysis, undefined, { start: at, oldEnd: at, newEnd: at + header.length }));
      if (k % 10 === 9) assert.deepStrictEqual(view(after), view(analyze(text)), `after ${k + 1} headers`);
      if (!takenAlone(analysis, after)) alone.push(k);
      at += header.length;
      analysis = after;
    }
    assert.deepEqual(alone, [], 'the headers typed with a full pass');
    assert.ok(analysis.diagnostics.length > 0, 'the open headers are reported');
  });

  it('an edit among statements that refer to each other analyses again only what it can change; each equal to a fresh analysis', () => {
    editsAlone(blocks(30), [
      ['model n20 {', ' model n20 {', true],
      ['  LSTM(4)\n}\nmodel p20', '  LSTM(5)\n}\nmodel p20', true],
      ['let s20 = (3, 21)', 'let s20 =  (3, 21)', true], // used by p20, and a tuple: p20's problems in its items are found again with it
      ['epochs = 2\n}\ntrain t20', 'epochs = 3\n}\ntrain t20', true],
      ['predict m20 [1, 2, 3]', 'predict m20 [1, 2, 4]', true],
      ['# block 20', '# block 20, edited', true],
      ['let k20 = 20', 'let k20 = 21', true], // m20 uses it: walked again
      ['Dense(k20 + 1)', 'Dense(k20 + 2)', true], // m20 is trained and predicted: those analysed again
      ['model n20 {', 'model n20x {', true], // a name typed
      ['window([1, 2, 3, 4, 5, 6], steps=3)\ntrain m20', 'window([1, 2, 3, 4, 5, 7], steps=3)\ntrain m20', true], // d20 is trained on
      ['  input(s20)', '  input(s20)\n  Dropout(0.1)', false], // refers to a tuple constant not analysed again: a problem in its items lies there
      ['train t20 on d20 {\n  epochs = 2', 'train t20 on d20 {\n  epochs = 4', true], // trains t20, a model without an input: its fix is made again
      ['let s21 = (3, 22)', 'let s21 = (3, 22)\nlet s21b = 1', true], // a new name
      ['model n21 {\n  LSTM(4)\n}', 'model n21 {\n  LSTM(4)\n  Dense(k21)\n}', true], // one more reference to k21, in a full pass's order
      ['model n22 {\n  LSTM(4)\n}', 'model n22 {\n  LSTM(4)\n  Dense(s22)\n}', false], // a tuple constant again
      ['let k23 = 23', 'let k23 = 23 # kept', true], // m23 refers to it
      ['model n23 {\n  LSTM(4)\n}', 'model n23 {\n  LSTM(4, input_shape=(3, 1))\n}', true],
    ]);
  });

  it('names typed, renamed, deleted and defined twice among statements that refer to each other: only what they change analysed again; each equal to a fresh analysis', () => {
    editsAlone(blocks(30), [
      ['let k20 = 20', 'let kk20 = 20', true], // m20's lookup now fails; k20 is no longer defined
      ['let kk20 = 20', 'let k20 = 20', true], // back
      ['let k21 = 21', 'let k21 = 21\nlet k21 = 5', true], // defined twice: the second is reported, lookups find the first
      ['let k21 = 21\n', '', true], // the first deleted: the second is the one lookups find now, m21 sees 5
      ['model n21 {', 'model m22 {', true], // a model named as a later one: the later one becomes a repeat, its training and prediction see this one
      ['model m22 {\n  LSTM(4)', 'model n21 {\n  LSTM(4)', true], // and back
      ['model t22 {', 'model t22x {', true], // a trained model renamed: the training names nothing now
      ['model t22x {', 'model t22 {', true],
      ['data d23 =', 'data d23x =', true], // a data source renamed: two trainings lose it
      ['data d23x =', 'data d23 =', true],
      ['# block 24', 'let u24 = v24\nlet v24 = k24\n# block 24', true], // used before its definition; k24 becomes used twice
      ['let v24 = k24', 'let v24 = k24 + u24', true],
      ['let u24 = v24\nlet v24 = k24 + u24\n', '', true], // both deleted
      ['# block 25', 'let Dense = 3\nlet relu = 2\n# block 25', true], // names of a layer and an activation: unused constants
      ['model n25 {\n  LSTM(4)', 'model n25 {\n  LSTM(4, activation=relu)', true], // the activation now finds the constant
      ['let relu = 2\n', '', true], // and a word again
      ['model m26 {', 'model k26 {', true], // a model named as a constant: a repeat, its training and prediction name a constant
      ['model k26 {', 'model m26 {', true],
      ['train m27 on d27 {', 'train m27 on dd27 {', true], // a training names a data source that is not defined: the closest name suggested
      ['data d28 =', 'data dd27 =', true], // ... and now it is (another training loses d28)
    ]);
  });

  it("a model's problem found in a tuple constant after it follows the constant through edits between them", () => {
    let text = 'model p {\n  input(s)\n  Dense(1)\n}\nlet x = 1\n\nlet s = (3, -1)\nmodel q {\n  Dense(1)\n}\n';
    let analysis = analyze(text);
    for (const [find, replace] of [
      ['let x = 1\n\n', 'let x = 1\n# a comment\n'],
      ['model q {', 'model  q {'],
      ['let x = 1', 'let x = 2'],
      ['model  q {', 'model  q2 {'],
      ['# a comment', ''],
    ]) {
      text = text.replace(find, replace);
      analysis = runSteps(analysisSteps(text, analysis));
      assert.deepStrictEqual(view(analysis), view(analyze(text)), replace);
    }
  });

  // A parse inside an unclosed bracket reads on over line breaks: a line's parse may report a
  // problem on the next line's first token or on the model's `}` (`Dense(k //` then `}`: a value
  // expected at the `}`). The parse after an edit stops at such a token: the problem there must
  // be found again or gone with the line that put it there, never dropped, never listed twice.
  it("a problem the line before puts on the next line's first token or the model's `}`: found again or gone after an edit there, as a fresh analysis finds it", () => {
    const model = (line: string, next = '') => `let k1 = 3\nmodel m1 {\n  input(3, 1)\n  ${line}\n${next}}\npredict m1 [1, 2, 3]\n`;
    // A text, the part edited and what replaces it.
    const edits: [string, string, string][] = [
      [model('Dense(k1 + 1)'), ' + 1)', ' //'],
      [model('Dense(k1 //'), ' //', ' + 1)'],
      [model('Dense(k1 //'), 'k1 //', 'k2 //'],
      [model('Dense(k1 +', '  ]\n  Dense(1)\n'), ' +', ')'],
      [model('Dense(k1)', '  ]\n  Dense(1)\n'), ')\n', ' +\n'],
      [model('Dense(k1 +', '  @\n'), ' +', ')'],
      // An edit on the line after one that put a problem on its first token: the parse begins a line earlier.
      [model('Dense(', '  ]\n  + 1)\n'), '  + 1)', '  1)+ 1)'],
      // A layer in a bracket of its own that opens on the line before: the parse did not begin a line at the layer.
      [model('Dense(4)', '  (\nD'), ')\n  (', ') =  ('],
      [model('Dense(4) =  (\nD'), ') =  (', ')\n  ('],
      [model('Dense(4)', '  (\n  Dense(5))\n'), 'Dense(4)', 'Dense(4) ='],
      // Between statements: the `;` of the line after a bracket left open.
      ['let x = (1 +\n;let y = 2\n', '1 +', '12'],
      ['let x = (12\n;let y = 2\n', '12', '1 +'],
      // Between statements: a junk token right after a statement on its line, which that statement looked at.
      ['let units =} 6\nmodel m {\n  input(3, 1)\n}\n', 'units', '1units'],
      ['let 1units =} 6\nmodel m {\n  input(3, 1)\n}\n', '1units', 'units'],
      ['data d = window([1, 2, 3, 4, 5], steps=2)\ntrain}0 on d {\n  epochs = 3\n}\n', 'train}', 'train\n}'],
      ['data d = window([1, 2, 3, 4, 5], steps=2)\ntrain\n}0 on d {\n  epochs = 3\n}\n', 'train\n}', 'train}'],
      // ... and an edit after it: the parse starts again before that statement, not at the token.
      ['let units =} 6\nlet y = 2\n', '6', '61'],
      ['data d = window([1, 2, 3, 4, 5], steps=2)\ntrain}0 on d {\n  epochs = 3\n}\n', '}0 on', '}0\n on'],
    ];
    for (const [text, find, replace] of edits) {
      for (const style of [0, 1, 2]) {
        const start = endings(text, style);
        const { incremental } = checkChain(start, [[start.indexOf(endings(find, style)), endings(find, style).length, endings(replace, style)]]);
        if (text.startsWith('let k1')) assert.equal(incremental, 1, `${JSON.stringify(text)}: built on the analysis before`);
      }
    }
  });

  const NEAR_CLOSE = ['', '#', '# a comment', '//', ' //', 'Dense(', '(', '[', 'LSTM(4,', ' +', ' *', ' -', ',', '=', ' = ', '\n', '\r\n', '\r', '}', ')', ']', ';', 'k1', '1)', '@', '"'];
  for (const [style, name] of ['LF', 'CRLF', 'CR'].entries()) {
    it(`random edits near a model's closing brace (${name}): comments, unclosed calls, operators at a line end, line endings; each equal to a fresh analysis`, () => {
      fc.assert(
        fc.property(fc.nat(), fc.integer({ min: 0, max: 6 }), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...NEAR_CLOSE)), { minLength: 1, maxLength: 8 }), (seed, layers, edits) => {
          const random = seeded(seed);
          const lines = Array.from({ length: layers }, () => `  ${LAYERS[Math.floor(random() * LAYERS.length)]}`);
          const start = endings(`let k1 = 3\nmodel m1 {\n  input(3, 1)\n${lines.join('\n')}\n  Dense(k1 + 1)\n}\npredict m1 [1, 2, 3]\nlet z = (1, 2)\n`, style);
          // Within a dozen characters before the last `}` (the model's, unless an edit typed one later) and just after it.
          checkChain(start, edits, false, (text, at) => Math.max(0, Math.min(text.length, text.lastIndexOf('}') - 12 + (at % 15))));
        }),
        { numRuns: fuzzRuns(150), seed: 17 + style },
      );
    });
  }

  it('random edits of statements that refer to each other: each equal to a fresh analysis', () => {
    const text = Array.from({ length: 6 }, (_, i) => referring(i)).join('\n');
    const pieces = [...PIECES, 'k1', 's2', 'm3', 'd4', 'n1', ' ', '2', 'let k9 = 9\n', 'predict n2 [1, 2]\n', 'train t1 on d1 {\n}\n'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 10 }), (edits) => {
        checkChain(text, edits);
      }),
      { numRuns: fuzzRuns(40), seed: 31 },
    );
  });

  it('a name defined three times, by statements of two kinds: its first definition deleted and typed again; a constant that 1,100 models use renamed (the full pass); each equal to a fresh analysis', () => {
    const thrice = blocks(3) + 'data x = window([1, 2, 3, 4], steps=2)\nmodel x {\n  Dense(1)\n}\nlet y = 1\nmodel x {\n  LSTM(2)\n}\ntrain x on x {\n}\n';
    editsAlone(thrice, [
      ['data x = window([1, 2, 3, 4], steps=2)\n', '', true], // the first model x comes first: the repeat now names a model
      ['let y = 1\n', 'let y = 1\ndata x = window([1, 2], steps=1)\n', true], // a repeat of another kind, after the first
      ['model x {\n  Dense(1)', 'model z {\n  Dense(1)', true], // the first renamed: a repeat of another kind is first now (found by a look at every statement)
      ['model z {\n  Dense(1)', 'model x {\n  Dense(1)', true],
    ]);
    // A model renamed as a constant defined after it, while it refers to a tuple constant (the full pass runs): the model that uses the constant finds a model now.
    editsAlone(blocks(3), [['model p0 {', 'model k1 {', false]]);
    const many = 'let k = 2\n' + Array.from({ length: 1100 }, (_, i) => `model m${i} {\n  input(3, 1)\n  Dense(k)\n}\n`).join('');
    editsAlone(many, [
      ['model m5 {', 'model m5x {', true],
      ['let k = 2', 'let kk = 2', false], // more than MAX_AFFECTED statements look it up
      ['let kk = 2', 'let k = 2', false],
    ]);
  });

  it('random chains of names typed, renamed, deleted and defined twice (use before definition, a layer or built-in name as a constant): each equal to a fresh analysis, most analysed alone', () => {
    const text =
      Array.from({ length: 8 }, (_, i) => referring(i)).join('\n') + 'let a0 = k1 + 1\nlet b0 = a0 * 2\nmodel q0 {\n  input(3, 1)\n  Dense(b0, activation=relu)\n}\nlet c0 = later\nlet later = 1\n';
    // Names and statements that define, repeat or refer to them; an edit is placed at a name (after `let `, `model `, `data `, `train `, `predict `) or anywhere.
    const pieces = ['', 'x', 'k', '1', 'k1', 's2', 'm3', 'd4', 'n1', 'b0', 'later', 'relu', 'Dense', 'let k9 = 9\n', 'let k1 = 7\n', 'let a0 = k2\n', 'let relu = 3\n', 'let Dense = 2\n', 'let later = 5\n',
      'model m1 {\n  Dense(k1)\n}\n', 'model k3 {\n  LSTM(2)\n}\n', 'data d1 = window([1, 2, 3, 4], steps=2)\n', 'train n1 on d1 {\n}\n', 'predict n2 [1, 2]\n', ' ', '\n'];
    let edits = 0;
    let alone = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom(...pieces), fc.boolean()), { minLength: 1, maxLength: 12 }), (chain) => {
        let current = text;
        let analysis = analyze(current);
        for (const [at, length, piece, atName] of chain) {
          let from = at % (current.length + 1);
          if (atName) {
            const starts = [...current.matchAll(/^(?:let|model|data|train|predict) /gm)].map((m) => m.index! + m[0].length);
            if (starts.length > 0) from = starts[at % starts.length];
          }
          const next = current.slice(0, from) + piece + current.slice(Math.min(current.length, from + length));
          const after = runSteps(analysisSteps(next, analysis));
          assert.deepStrictEqual(view(after), view(analyze(next)), JSON.stringify([current, from, length, piece]));
          edits++;
          if (takenAlone(analysis, after)) alone++;
          current = next;
          analysis = after;
        }
      }),
      { numRuns: fuzzRuns(60), seed: 47 },
    );
    assert.ok(alone >= edits * 0.75, `${alone} of ${edits} edits analysed alone`);
  });

  // Documents of problems past the listed 500, of lone braces, of line breaks alone: an edit
  // outside any model parses again from where the old parse stood between statements before it
  // to where it stood so after it (src/language/topLevel.ts), and merges the problems' positions.
  const HOSTILE: [string, string][] = [
    ['} repeated', '}'.repeat(3000)],
    ['}{ pairs', 'model m {' + '}{'.repeat(1500)],
    ['line breaks', '\n'.repeat(3000)],
    ['junk lines', '@@ x\n'.repeat(600)],
    ['junk and statements', Array.from({ length: 300 }, (_, i) => (i % 3 ? `}} let a${i} = ${i} @\n` : `model m${i} {\n  Dense(1)\n}\n`)).join('')],
    ['separators and comments', '\n;\n# a; b\n'.repeat(400) + 'let x = 1\n'],
    ['open brackets across lines', 'let x = (1\n\n\n'.repeat(200) + 'model m {\n  Dense(1)\n}\n'],
  ];
  const HOSTILE_PIECES = ['', '}', '{', '}{', '\n', '\r', '\r\n', ';', '#', '@', ' ', 'let y = 2\n', 'model q {', '(', ')', 'x', 'Dense(1)\n'];
  for (const [style, name] of ['LF', 'CRLF', 'CR'].entries()) {
    it(`random edits of documents of many problems, braces or line breaks alone (${name}): each equal to a fresh analysis, most built on the last`, () => {
      let total = 0;
      let spent = 0;
      fc.assert(
        fc.property(fc.constantFrom(...HOSTILE), fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom(...HOSTILE_PIECES)), { minLength: 1, maxLength: 8 }), ([, text], edits) => {
          const r = checkChain(endings(text, style), edits, true);
          total += edits.length;
          spent += r.spent;
        }),
        { numRuns: fuzzRuns(40), seed: 90 + style },
      );
      assert.ok(spent > total * 0.8, `${spent} of ${total} edits built on the analysis before`);
    });
  }

  it('edits anywhere in every pathological shape at 16 KB: each equal to a fresh analysis, those outside a model built on the last', () => {
    let outside = 0;
    let builtOn = 0;
    for (const { name, text } of pathologicalDocuments(1 << 14)) {
      const random = seeded(name.length * 7);
      const edits: [number, number, string][] = [];
      for (let i = 0; i < 6; i++) edits.push([Math.floor(random() * text.length), i % 3, HOSTILE_PIECES[Math.floor(random() * HOSTILE_PIECES.length)]]);
      const r = checkChain(text, edits, true);
      if (!/layers|realistic|small models|let|string|commas/.test(name)) {
        outside += edits.length;
        builtOn += r.spent;
      }
    }
    // A refused text (NUL bytes) is analysed afresh each time; nearly every other edit builds on the last analysis.
    assert.ok(builtOn > outside * 0.85, `${builtOn} of ${outside} edits outside models built on the analysis before`);
  });

  // A statement of more than 16,384 tokens keeps the text's tokens with its parse, and an edit
  // lexes again only around itself (src/language/relex.ts): strings opened and closed, comments,
  // `//` as floor division or a comment, line breaks in every style, a token changing its kind.
  const LONG: [string, string][] = [
    ['a long sum', 'let x = 1' + ' + 1'.repeat(8500)],
    ['floor divisions', 'let y = 8' + ' // 2'.repeat(8500)],
    ['a list over lines with strings and comments', 'let z = [' + '1.5e+3, "s\\"q", \'c\', # note\n'.repeat(2600) + ']\n'],
    ['nested parentheses', 'let w = ' + '('.repeat(9000) + '1' + ')'.repeat(9000)],
    ['a line of names', 'abc '.repeat(17000)],
    ['a long sum, then statements', 'let x = 1' + ' + 1'.repeat(8500) + '\nlet y = 2\nmodel m {\n  input(3, 1)\n  Dense(1)\n}\n'],
    // Read up to a little past the sum, not to the end: a window of the kept tokens.
    ['a long sum, then many statements', 'let x = 1' + ' + 1'.repeat(8500) + '\n' + Array.from({ length: 800 }, (_, i) => `let y${i} = ${i}\n`).join('')],
  ];
  const LONG_PIECES = ['"', "'", '\\', '#', '# c\n', '//', '/', '.', '5', 'e', '+', 'x', ' ', '', '\n', '\r\n', '\r', '(', ')', '[', ']', '@', ',', 'let q = 1\n'];
  for (const [style, name] of ['LF', 'CRLF', 'CR'].entries()) {
    it(`edits inside one statement of more than 16,384 tokens (${name}): its tokens lexed again only around the edit, each equal to a fresh analysis`, () => {
      for (const [shape, text] of LONG) {
        const start = endings(text, style);
        // The path under test: such a text's parse keeps its tokens.
        assert.ok(parse(start).lexed, `${shape}: tokens kept`);
        const random = seeded(shape.length * 31 + style);
        const edits: [number, number, string][] = [];
        for (let i = 0; i < 10; i++) edits.push([Math.floor(random() * start.length), Math.floor(random() * 3), LONG_PIECES[Math.floor(random() * LONG_PIECES.length)]]);
        const { spent } = checkChain(start, edits, true);
        assert.ok(spent >= 8, `${shape}: ${spent} of ${edits.length} edits built on the analysis before`);
      }
    });
  }

  it('an edit that removes listed problems of a document of thousands lists the next ones, built in advance', () => {
    // Two problems a line (a lone `}`, then a number where a statement should be), each line its own text.
    const text = Array.from({ length: 2500 }, (_, i) => `}${i}\n`).join('');
    let analysis = analyze(text);
    let current = text;
    // Each edit deletes 100 problems at the start. The first 1,000 were built: five edits build
    // on the analysis before; the sixth would list one never built and is a fresh analysis,
    // which builds 1,000 again.
    const builtOn: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      const next = current.split('\n').slice(50).join('\n');
      const after = runSteps(analysisSteps(next, analysis));
      assert.deepStrictEqual(view(after), view(analyze(next)));
      assert.equal(after.diagnostics.length, 501);
      assert.match(after.diagnostics[500].message, new RegExp(`And ${(2 * (2500 - 50 * (i + 1)) - 500).toLocaleString('en-US')} more problems`));
      builtOn.push(runSteps(analysisSteps(current, analysis)) !== analysis);
      current = next;
      analysis = after;
    }
    assert.deepEqual(builtOn, [true, true, true, true, true, false, true, true]);
  });

  it('the line index after an edit is the line index of the new text, whatever the line breaks around the edit', () => {
    const piece = fc.array(fc.constantFrom('a', '\n', '\r', '\r\n'), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(piece, fc.nat(), fc.nat(4), piece, (text, at, length, inserted) => {
        const from = at % (text.length + 1);
        const to = Math.min(text.length, from + length);
        const next = text.slice(0, from) + inserted + text.slice(to);
        assert.deepStrictEqual(lineStarts(LineIndex.edited(new LineIndex(text), next, from, to, from + inserted.length)), lineStarts(new LineIndex(next)));
      }),
      { numRuns: fuzzRuns(2000), seed: 5 },
    );
  });

  it('the line index after a run of edits near each other, as typing makes, is the line index of the last text', () => {
    // Edits within one line share the index before them and move the lines after (LineIndex.edited):
    // a run of them on one line, then on another, then with a line break, each index built on the last.
    const piece = fc.array(fc.constantFrom('ab', '\n', '\r', '\r\n', 'x'), { maxLength: 8 }).map((p) => p.join(''));
    const edit = fc.record({ move: fc.integer({ min: -4, max: 4 }), length: fc.nat(2), inserted: fc.constantFrom('', 'a', 'bc', '\n', '\r', '\r\n', 'd\ne') });
    fc.assert(
      fc.property(piece, fc.nat(), fc.array(edit, { minLength: 1, maxLength: 30 }), (start, at, edits) => {
        let text = start;
        let index = new LineIndex(text);
        let from = at % (text.length + 1);
        const versions: [LineIndex, number[]][] = [];
        for (const { move, length, inserted } of edits) {
          from = Math.max(0, Math.min(text.length, from + move));
          const to = Math.min(text.length, from + length);
          const next = text.slice(0, from) + inserted + text.slice(to);
          index = LineIndex.edited(index, next, from, to, from + inserted.length);
          assert.deepStrictEqual(lineStarts(index), lineStarts(new LineIndex(next)), JSON.stringify({ text, from, to, inserted }));
          versions.push([index, lineStarts(index)]);
          text = next;
          from += inserted.length;
        }
        // Every earlier version still answers for its own text: the starts they share are never written.
        for (const [earlier, starts] of versions) assert.deepStrictEqual(lineStarts(earlier), starts);
      }),
      { numRuns: fuzzRuns(2000), seed: 6 },
    );
  });

  it('inserting a layer renames the automatic names after it, as Keras numbers them', () => {
    const text = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(5) + '}\n';
    const before = analyze(text);
    const edited = text.replace('input(3, 1)\n', 'input(3, 1)\n  Dense(2)\n');
    const after = runSteps(analysisSteps(edited, before));
    assert.deepEqual(
      after.models[0].layers.map((l) => l.name),
      ['dense', 'dense_1', 'dense_2', 'dense_3', 'dense_4', 'dense_5'],
    );
    assert.deepStrictEqual(view(after), view(analyze(edited)));
  });

  it('a version with the same text is answered by the analysis before it', () => {
    const text = 'model m {\n  input(3, 1)\n  Dense(1)\n}\n';
    const first = analyze(text);
    assert.equal(runSteps(analysisSteps(text, first)), first);
  });

  it('a spent analysis (its tree moved for a newer one) is analysed again from scratch, not built on', () => {
    const text = 'model m {\n  input(3, 1)\n  Dense(1)\n  Dense(2)\n}\n';
    const first = analyze(text);
    const second = runSteps(analysisSteps(text.replace('Dense(1)', 'Dense(11)'), first));
    assert.deepStrictEqual(view(second), view(analyze(text.replace('Dense(1)', 'Dense(11)'))));
    // `first` is spent: building on it again must not reuse its (moved) tree.
    const third = runSteps(analysisSteps(text.replace('Dense(2)', 'Dense(22)'), first));
    assert.deepStrictEqual(view(third), view(analyze(text.replace('Dense(2)', 'Dense(22)'))));
    assert.notEqual(runSteps(analysisSteps(text, first)), first, 'a spent analysis is not an answer for its own text');
  });
  /** Types `piece` into `text` at `at` one character at a time, each keystroke analysed from the one before and compared with a fresh analysis; the last analysis. */
  function typeInto(analysis: Analysis, text: string, at: number, piece: string): Analysis {
    for (let n = 0; n < piece.length; n++) {
      text = text.slice(0, at + n) + piece[n] + text.slice(at + n);
      analysis = runSteps(analysisSteps(text, analysis));
      assert.deepStrictEqual(view(analysis), view(analyze(text)), `after ${JSON.stringify(piece.slice(0, n + 1))}`);
    }
    return analysis;
  }

  const chain = (lines: number, eol = '\n') => `model m {${eol}  input(3, 1)${eol}` + `  Dense(1)${eol}`.repeat(lines) + `}${eol}`;

  for (const [style, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['one line', '; ']]) {
    it(`typing a layer into the middle of a long model (${style}): the keystroke that completes it takes the later layers over from the walk before the typing`, () => {
      const text = eol === '; ' ? 'model m { input(3, 1); ' + 'Dense(1); '.repeat(400) + '}' : chain(400, eol);
      const before = analyze(text);
      const last = before.models[0].layers[399];
      const at = text.indexOf('Dense', text.length >> 1);
      // `D`, `Dropout(`, ... are not a layer yet: the layers after lose their shapes until `;` or the line break.
      const after = typeInto(before, text, at, `Dropout(0.5)${eol}  `);
      const layers = after.models[0].layers;
      assert.equal(layers.length, 401);
      assert.equal(layers[400], last, 'the last layer is the one analysed before the typing, not analysed again');
      assert.deepEqual(layers.filter((l) => l.type === 'Dropout').map((l) => l.name), ['dropout']);
      assert.equal(layers[400].name, 'dense_399');
    });
  }

  it('a layer typed that changes the shapes after it, then deleted: the later layers are taken over again', () => {
    const text = chain(300);
    const before = analyze(text);
    const last = before.models[0].layers[299];
    const at = text.indexOf('Dense', text.length >> 1);
    let after = typeInto(before, text, at, 'LSTM(4)\n  ');
    assert.deepEqual(after.models[0].layers[300].outputShapes, [[null, 1]]);
    assert.notEqual(after.models[0].layers[300], last);
    // Deleted in one edit (a selected line), then undone character by character in another spot.
    const edited = after.text;
    const deleted = edited.slice(0, at) + edited.slice(at + 'LSTM(4)\n  '.length);
    after = runSteps(analysisSteps(deleted, after));
    assert.deepStrictEqual(view(after), view(analyze(deleted)));
    assert.equal(after.models[0].layers[299], last, 'back to the shapes before the typing: its layers are taken over');
    assert.equal(last.name, 'dense_299');
  });

  it('two layers typed, the first changing the shapes after it, then both deleted: the later layers are taken over from the walk before the typing (two states back)', () => {
    const text = chain(300);
    const before = analyze(text);
    const last = before.models[0].layers[299];
    const at = text.indexOf('Dense', text.length >> 1);
    let after = typeInto(before, text, at, 'LSTM(4)\n  ');
    after = typeInto(after, after.text, at + 'LSTM(4)\n  '.length, 'Dense(2)\n  ');
    assert.deepEqual(after.models[0].layers[301].outputShapes, [[null, 1]]);
    const edited = after.text;
    const deleted = edited.slice(0, at) + edited.slice(at + 'LSTM(4)\n  Dense(2)\n  '.length);
    after = runSteps(analysisSteps(deleted, after));
    assert.deepStrictEqual(view(after), view(analyze(deleted)));
    assert.equal(after.models[0].layers[299], last, 'back two states: its layers are taken over');
  });

  it('renaming a layer type in the middle of a long model and back, and changing an early layer: each equal to a fresh analysis', () => {
    let text = chain(300);
    let analysis = analyze(text);
    const last = analysis.models[0].layers[299];
    const edit = (next: string) => {
      analysis = runSteps(analysisSteps(next, analysis));
      text = next;
      assert.deepStrictEqual(view(analysis), view(analyze(text)));
    };
    const at = text.indexOf('Dense', text.length >> 1);
    // Dense → LSTM a character at a time: the layers after change shapes and names (lstm has its own count).
    for (const step of ['ense', 'nse', 'se', 'e', '', 'L', 'LS', 'LST', 'LSTM']) edit(text.slice(0, at + 1) + step + text.slice(text.indexOf('(', at)));
    edit(text.slice(0, at) + text.slice(at + 1));
    assert.deepEqual(analysis.models[0].layers.filter((l) => l.type === 'LSTM').map((l) => l.name), ['lstm']);
    const renamed = analysis.models[0].layers[299];
    edit(text.slice(0, at) + 'Dense' + text.slice(at + 4));
    assert.equal(analysis.models[0].layers[299], last);
    // Redone, undone again: each state's later layers are taken over from the walk before.
    edit(text.slice(0, at) + 'LSTM' + text.slice(at + 5));
    assert.equal(analysis.models[0].layers[299], renamed);
    edit(text.slice(0, at) + 'Dense' + text.slice(at + 4));
    assert.equal(analysis.models[0].layers[299], last);
    // Units of the first layer: its shape changes, the next layer's does not.
    const first = text.indexOf('Dense(') + 6;
    edit(text.slice(0, first) + '7' + text.slice(first));
    edit(text.slice(0, first) + '7, name="dense_9"' + text.slice(first + 1));
    assert.ok(analysis.diagnostics.some((d) => d.code === 'duplicate-name'));
    edit(text.slice(0, first) + text.slice(text.indexOf(')', first)));
    assert.ok(!analysis.diagnostics.some((d) => d.code === 'duplicate-name'));
  });

  for (const [style, name] of ['LF', 'CRLF', 'CR'].entries()) {
    it(`layers typed, a character at a time, into random long models (${name}): every keystroke equal to a fresh analysis`, () => {
      const typed = ['Dropout(0.5)\n  ', 'LSTM(4, return_sequences=True)\n  ', 'Dense(2)\n  ', 'GRU(3)\n  ', 'Flatten()\n  ', 'Dense(1, name="dense_40")\n  ', 'Bidirectional(LSTM(2))\n  ', 'Nope(1)\n  '];
      fc.assert(
        fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...typed), fc.boolean()), { minLength: 1, maxLength: 3 }), (seed, pieces) => {
          let text = endings(document(seeded(seed), 40), style);
          let analysis = analyze(text);
          for (const [where, piece, remove] of pieces) {
            // At the start of a random layer line of the first model (after its indentation).
            const starts = [...text.matchAll(/(\r\n|\n|\r) {2}(?=[A-Z])/g)].map((m) => m.index! + m[0].length).filter((i) => i < text.indexOf('}'));
            if (starts.length === 0) return;
            const at = starts[where % starts.length];
            const piece2 = endings(piece, style);
            analysis = typeInto(analysis, text, at, piece2);
            text = analysis.text;
            if (remove) {
              text = text.slice(0, at) + text.slice(at + piece2.length);
              analysis = runSteps(analysisSteps(text, analysis));
              assert.deepStrictEqual(view(analysis), view(analyze(text)));
            }
          }
        }),
        { numRuns: fuzzRuns(25), seed: 90 + style },
      );
    });
  }
});
