import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, changeBetween, LineIndex, type Position, type TextChange } from '../../src/language';
import { AnalysisCache } from '../../src/server/documents';
import { OpenDocument, OpenDocuments } from '../../src/server/openDocuments';
import { fuzzRuns } from '../helpers/fuzzRuns';
import { lineStarts } from '../helpers/lineStarts';
import { runWithGc } from '../helpers/withGc';

// The server's own store of open documents (src/server/openDocuments.ts) against a plain string
// and the LSP's reference library (vscode-languageserver-textdocument, which the server used
// before): the same text after any edits in any line endings, the same offsets for any position
// (out-of-range ones clamped as the specification says), and a line index always equal to a
// fresh index of the text. (The library itself is not the reference for edits: given a range
// on lines past the end of its text it writes line offsets at those lines and then applies the
// next edit at the wrong place.)


const PIECES = ['', 'a', 'LSTM(4)', ' ', '\n', '\r', '\r\n', '\n\r', '\r\r\n', '😀', '\ud83d', 'x\ny\rz\r\n'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(''));
/** Positions anywhere and past anything: negative, past a line's end, past the last line. */
const position = fc.record({ line: fc.integer({ min: -1, max: 12 }), character: fc.integer({ min: -1, max: 14 }) });
const change = fc.record({ start: position, end: position, text: fc.constantFrom(...PIECES) });
/** Now and then a change without a range: the whole text replaced. */
const anyChange = fc.oneof({ weight: 9, arbitrary: change }, { weight: 1, arbitrary: fc.record({ text }) });

/**
 * Checks a version's change (what the analysis and the formatting memory build on): the texts
 * are the same before its start and after its ends, and it spans only what differs (its first
 * and last characters differ in the two texts, unless one side is empty): empty exactly when
 * the texts are the same.
 */
function assertChange(before: string, after: string, c: TextChange | undefined, what: string): void {
  assert.ok(c, `${what}: an edited version says where it changed`);
  const { start, oldEnd, newEnd } = c;
  assert.ok(start <= oldEnd && start <= newEnd && oldEnd <= before.length && newEnd <= after.length, what);
  assert.equal(before.length - oldEnd, after.length - newEnd, what);
  assert.equal(before.slice(0, start), after.slice(0, start), what);
  assert.equal(before.slice(oldEnd), after.slice(newEnd), what);
  if (oldEnd > start && newEnd > start) {
    assert.notEqual(before[start], after[start], `${what}: narrowed at its start`);
    assert.notEqual(before[oldEnd - 1], after[newEnd - 1], `${what}: narrowed at its end`);
  }
  assert.equal(start === oldEnd && start === newEnd, before === after, what);
  // As long as the change the two whole texts' comparison finds, which is the longest common beginning and end.
  const compared = changeBetween(before, after);
  assert.equal(oldEnd - start, compared.oldEnd - compared.start, `${what}: as long as the comparison's`);
}

/** The offset of a position as the LSP specification defines it, on the text's lines split by hand. */
function offsetOf(text: string, p: Position): number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  if (p.line < 0) return 0;
  if (p.line >= starts.length) return text.length;
  const start = starts[p.line];
  let end = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return Math.min(end, start + Math.max(0, p.character));
}

describe('the server\'s open documents (src/server/openDocuments.ts)', () => {
  it('random incremental edits in LF, CRLF, CR and mixed line endings give the text a string gives, and a fresh line index', () => {
    fc.assert(
      fc.property(text, fc.array(fc.array(anyChange, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }), (start, edits) => {
        let doc = new OpenDocument('file:///t.seqmodel', 1, start, new LineIndex(start));
        let expected = start;
        for (const changes of edits) {
          for (const c of changes) {
            if (!('start' in c)) {
              expected = c.text;
              continue;
            }
            let from = offsetOf(expected, c.start);
            let to = offsetOf(expected, c.end);
            if (to < from) [from, to] = [to, from];
            expected = expected.slice(0, from) + c.text + expected.slice(to);
          }
          const contentChanges = changes.map((c) => ('start' in c ? { range: { start: c.start, end: c.end }, text: c.text } : { text: c.text }));
          const previous = doc;
          const before = previous.text;
          doc = doc.edited(contentChanges, doc.version + 1);
          assert.equal(doc.text, expected, JSON.stringify({ before, changes }));
          assert.deepStrictEqual(lineStarts(doc.lines), lineStarts(new LineIndex(expected)), 'the line index is the fresh index of the new text');
          assert.equal(previous.text, before, 'the version before keeps its text');
          assertChange(before, doc.text, doc.change, JSON.stringify({ before, changes }));
        }
        assert.equal(doc.version, 1 + edits.length);
      }),
      { numRuns: fuzzRuns(1500), seed: 10 },
    );
  });

  it("converts positions and offsets as the LSP reference library does, out-of-range positions clamped to the line's end", () => {
    fc.assert(
      fc.property(text, fc.array(position, { maxLength: 10 }), fc.array(fc.integer({ min: -2, max: 120 }), { maxLength: 10 }), (t, positions, offsets) => {
        const lines = new LineIndex(t);
        const reference = TextDocument.create('file:///t.seqmodel', 'seqmodel', 1, t);
        for (const p of positions) {
          assert.equal(lines.offsetAt(p), reference.offsetAt(p), JSON.stringify({ t, p }));
          assert.equal(lines.offsetAt(p), offsetOf(t, p));
        }
        // Offsets inside a CRLF pair are the one place the two differ (the library moves them before
        // the CR); nothing the server converts (edits, spans) ever splits one.
        for (const o of offsets.filter((o) => !(t[o - 1] === '\r' && t[o] === '\n'))) assert.deepEqual(lines.positionAt(o), reference.positionAt(o), JSON.stringify({ t, o }));
      }),
      { numRuns: fuzzRuns(1500), seed: 11 },
    );
  });

  it('applies the changes of a multi-cursor edit, last in the document first as VS Code sends them, each to the text the one before left', () => {
    const start = Array.from({ length: 200 }, (_, i) => `let x${i} = ${i}`).join(['\n', '\r\n', '\r'][0]);
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = start.replace(/\n/g, eol);
      const doc = new OpenDocument('file:///t.seqmodel', 1, text, new LineIndex(text));
      // On every line, `let` becomes `const` and a line break is typed after the name: 400 changes.
      const changes = [];
      for (let line = 199; line >= 0; line--) {
        const name = `x${line}`.length;
        changes.push({ range: { start: { line, character: 4 + name }, end: { line, character: 4 + name } }, text: eol });
        changes.push({ range: { start: { line, character: 0 }, end: { line, character: 3 } }, text: 'const' });
      }
      const next = doc.edited(changes, 2);
      const expected = Array.from({ length: 200 }, (_, i) => `const x${i}${eol} = ${i}`).join(eol);
      assert.equal(next.text, expected);
      assert.deepStrictEqual(lineStarts(next.lines), lineStarts(new LineIndex(expected)));
      assertChange(text, next.text, next.change, eol);
    }
  });

  it('a change without a range replaces the whole text; several changes apply in order', () => {
    const doc = new OpenDocument('file:///t.seqmodel', 1, 'a\nb', new LineIndex('a\nb'));
    const next = doc.edited(
      [
        { text: 'model m {\r\n}\r\n' },
        { range: { start: { line: 0, character: 9 }, end: { line: 0, character: 9 } }, text: '\r\n  Dense(1)' },
        { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: 'mm' },
      ],
      2,
    );
    assert.equal(next.text, 'model mm {\r\n  Dense(1)\r\n}\r\n');
    assert.equal(next.version, 2);
    assert.deepStrictEqual(lineStarts(next.lines), lineStarts(new LineIndex(next.text)));
    assert.equal(next.lines.lineCount, 4);
    assertChange('a\nb', next.text, next.change, 'a whole text, then ranges');
  });

  it('an edit of a megabyte of line breaks costs a copy of the line starts, and the index stays exact', () => {
    const big = '\r\n'.repeat(1 << 19);
    let doc = new OpenDocument('file:///big.seqmodel', 1, big, new LineIndex(big));
    const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
    doc = doc.edited([{ range: at(0), text: 'x' }], 2);
    doc = doc.edited([{ range: at(1 << 18), text: '\n\r' }], 3);
    doc = doc.edited([{ range: { start: { line: 5, character: 1 }, end: { line: 5, character: 1 } }, text: '\r' }], 4);
    assert.deepStrictEqual(lineStarts(doc.lines), lineStarts(new LineIndex(doc.text)));
    // 2^19 line breaks, two more from `\n\r` between two CRLFs, one more from `\r` before a CRLF.
    assert.equal(doc.lines.lineCount, (1 << 19) + 1 + 3);
  });

  it('keeps the current version of each open document and says when one opens, changes and closes', () => {
    const store = new OpenDocuments();
    const log: string[] = [];
    store.onDidOpen((d) => log.push(`open ${d.uri} ${d.version}`));
    store.onDidChange((d) => log.push(`change ${d.uri} ${d.version} ${JSON.stringify(d.text)}`));
    store.onDidClose((d) => log.push(`close ${d.uri} ${d.version}`));
    const uri = 'file:///a.seqmodel';
    store.open({ textDocument: { uri, languageId: 'seqmodel', version: 1, text: 'let x = 1\n' } });
    store.change({ textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 9 } }, text: '22' }] });
    // A change with nothing in it, and one for a document that is not open, are ignored.
    store.change({ textDocument: { uri, version: 3 }, contentChanges: [] });
    store.change({ textDocument: { uri: 'file:///other.seqmodel', version: 2 }, contentChanges: [{ text: 'x' }] });
    assert.equal(store.get(uri)?.text, 'let x = 22\n');
    assert.equal(store.get(uri)?.version, 2);
    store.close(uri);
    store.close(uri);
    assert.equal(store.get(uri), undefined);
    assert.deepEqual(log, [`open ${uri} 1`, `change ${uri} 2 "let x = 22\\n"`, `close ${uri} 2`]);
  });

  it("gives the analysis its line index: a version's text is scanned for lines once", () => {
    const text = 'let a = 1\r\nlet b = a\r\n';
    const doc = new OpenDocument('file:///t.seqmodel', 1, text, new LineIndex(text));
    const cache = new AnalysisCache();
    assert.equal(cache.get(doc).lines, doc.lines);
    const edited = doc.edited([{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } }, text: '2 * a' }], 2);
    const incremental = cache.get(edited);
    assert.equal(incremental.lines, edited.lines, 'the next version, analysed from the one before, too');
    assert.equal(incremental.text, 'let a = 1\r\nlet b = 2 * a\r\n');
    const binary = new OpenDocument('file:///b.seqmodel', 1, 'a\0b', new LineIndex('a\0b'));
    assert.equal(cache.get(binary).lines, binary.lines, 'a text refused as binary too');
  });

  it('analyses a big text that replaced most of the last one after a collection, with the last analysis gone, and collects for nothing else', function () {
    this.timeout(120000);
    let collections = 0;
    const cache = new AnalysisCache(() => collections++);
    const long = (layer: string, n: number) => 'model m {\n  input(3, 1)\n' + `  ${layer}\n`.repeat(n) + '}\n';
    const big = long('Dense(1)', 30000);
    let doc = new OpenDocument('file:///m.seqmodel', 1, big, new LineIndex(big));
    cache.get(doc);
    const next = (changes: Parameters<OpenDocument['edited']>[0]) => {
      const previous = doc;
      doc = doc.edited(changes, doc.version + 1);
      cache.supersede(doc, previous);
      return cache.get(doc);
    };
    // A keystroke, and a tenth of the text pasted at its end: built on the last analysis.
    next([{ range: { start: { line: 5, character: 9 }, end: { line: 5, character: 9 } }, text: '0' }]);
    next([{ range: { start: { line: 30003, character: 0 }, end: { line: 30003, character: 0 } }, text: '  Dense(2)\n'.repeat(3000) }]);
    assert.equal(collections, 0);
    // The whole text replaced by another of 300 KB: analysed afresh, after one collection.
    const other = long('LSTM(2, return_sequences=True)', 9000);
    const analysis = next([{ text: other }]);
    assert.equal(collections, 1);
    assert.deepEqual(analysis.diagnostics, analyze(other).diagnostics);
    assert.deepEqual(analysis.models, analyze(other).models);
    // A short text replaced: its analysis is small, no pause for it.
    next([{ text: long('Dense(3)', 100) }]);
    next([{ text: long('GRU(3)', 100) }]);
    assert.equal(collections, 1);
    // The collection finds the last analysis already unreachable (a child Node with V8's gc).
    assert.deepEqual(runWithGc('replacedInServer'), { collections: [true], same: true });
  });
});
