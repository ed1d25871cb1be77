import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { pathologicalDocuments } from '../../bench/lib/pathological';
import { analyze, lookupLayer, type Analysis, type Ast as A } from '../../src/language';
import { LEGEND, semanticTokenData, type TokenKinds } from '../../src/server/semanticTokens';
import { exampleTexts } from '../helpers/engine';
import { decodeSemanticTokens as decode } from '../helpers/semanticTokens';
import { INITIAL } from 'vscode-textmate';
import { loadGrammar } from './textmate';
import { fuzzRuns } from '../helpers/fuzzRuns';

// The semantic-token writer (src/server/semanticTokens.ts) walks the tree once and writes the
// LSP encoding as it goes, with the symbols' kinds looked up by offset. This file pins it to a
// plain reference written for clarity, not speed: every token as an object (a Map of the
// symbols' starts, the tree walked with closures, comments merged by sorting), then positions
// from the line index. Same numbers on random documents, every line-ending style, the
// pathological shapes and every range and cap, for every token and for the `semantic` ones
// alone (the reference's without the kinds a grammar colours).

const type = (name: string) => LEGEND.tokenTypes.indexOf(name);
const modifier = (name: string) => 1 << LEGEND.tokenModifiers.indexOf(name);

interface RefToken {
  start: number;
  end: number;
  type: number;
  mods: number;
}

/** Every token of the document in source order: [line, character, length, type, modifiers]. */
function referenceTokens(a: Analysis): number[][] {
  const symbols = new Map<number, [number, number]>();
  for (const s of a.symbols) {
    const t = type(s.kind === 'model' ? 'type' : 'variable');
    const readonly = s.kind === 'constant' ? modifier('readonly') : 0;
    symbols.set(s.nameSpan.start, [t, modifier('declaration') | readonly]);
    for (const r of s.references) symbols.set(r.start, [t, readonly]);
  }
  const code: RefToken[] = [];
  // A node the tree reaches twice (or out of order, after an error) gives no second token.
  const emit = (span: { start: number; end: number }, t: number, mods = 0) => {
    if (span.end > span.start && (code.length === 0 || span.start > code[code.length - 1].start)) code.push({ start: span.start, end: span.end, type: t, mods });
  };
  const name = (id: A.Ident | null, fallback: string) => {
    if (!id) return;
    const known = symbols.get(id.span.start);
    emit(id.span, known ? known[0] : type(fallback), known ? known[1] : 0);
  };
  const expr = (e: A.Expr | null): void => {
    if (!e) return;
    if (e.kind === 'number') emit(e.span, type('number'));
    else if (e.kind === 'string') emit(e.span, type('string'));
    else if (e.kind === 'bool' || e.kind === 'none') emit(e.span, type('keyword'));
    else if (e.kind === 'ident') name(e, 'enumMember');
    else if (e.kind === 'call') {
      emit(e.callee.span, type(lookupLayer(e.callee.name) ? 'class' : 'function'), modifier('defaultLibrary'));
      for (const arg of e.args) {
        if (arg.name) emit(arg.name.span, type('parameter'));
        expr(arg.value);
      }
    } else if (e.kind === 'tuple' || e.kind === 'list') e.items.forEach(expr);
    else if (e.kind === 'unary') expr(e.operand);
    else if (e.kind === 'binary') (expr(e.left), expr(e.right));
  };
  const keyword = (at: number, word: string) => {
    if (a.text.startsWith(word, at)) emit({ start: at, end: at + word.length }, type('keyword'));
  };
  for (const stmt of a.document.statements) {
    keyword(stmt.span.start, stmt.kind);
    if (stmt.kind === 'let' || stmt.kind === 'data') (name(stmt.name, 'variable'), expr(stmt.value));
    else if (stmt.kind === 'model') (name(stmt.name, 'type'), stmt.layers.forEach(expr));
    else if (stmt.kind === 'predict') (name(stmt.model, 'type'), expr(stmt.input));
    else {
      stmt.models.forEach((m) => name(m, 'type'));
      const after = stmt.models.length ? stmt.models[stmt.models.length - 1].span.end : stmt.span.start + 5;
      const before = stmt.data ? stmt.data.span.start : (stmt.open?.start ?? stmt.span.end);
      const on = /\bon\b/.exec(a.text.slice(after, before));
      if (on) keyword(after + on.index, 'on');
      name(stmt.data, 'variable');
      for (const s of stmt.settings) (emit(s.name.span, type('property')), expr(s.value));
    }
  }
  const comments = a.document.comments.map((c) => ({ start: c.span.start, end: c.span.end, type: type('comment'), mods: 0 }));
  return [...code, ...comments]
    .sort((x, y) => x.start - y.start)
    .map((t) => {
      const p = a.lines.positionAt(t.start);
      return [p.line, p.character, t.end - t.start, t.type, t.mods];
    });
}

/** What a TextMate grammar colours by itself: left out of the `semantic` tokens. */
const GRAMMAR_COLOURED = new Set(['keyword', 'number', 'string', 'comment'].map(type));

/** The writer against the reference on one document, for both kinds of answer: the whole file, one range and one cap. */
function assertAsReference(text: string, from: number, to: number, cap: number): void {
  const a = analyze(text);
  const all = referenceTokens(a);
  for (const kinds of ['all', 'semantic'] as TokenKinds[]) {
    const expected = kinds === 'all' ? all : all.filter((t) => !GRAMMAR_COLOURED.has(t[3]));
    assert.deepEqual(decode(semanticTokenData(a, undefined, Infinity, kinds)), expected, kinds);
    const offset = (t: number[]) => a.lines.offsetAt({ line: t[0], character: t[1] });
    const touching = expected.filter((t) => offset(t) + t[2] >= from && offset(t) <= to);
    assert.deepEqual(decode(semanticTokenData(a, { start: from, end: to }, Infinity, kinds)), touching, `${kinds}, range ${from}-${to}`);
    assert.deepEqual(decode(semanticTokenData(a, undefined, cap, kinds)), expected.slice(0, cap), `${kinds}, cap ${cap}`);
  }
}

const STYLES: ((t: string) => string)[] = [
  (t) => t,
  (t) => t.replace(/\n/g, '\r\n'),
  (t) => t.replace(/\n/g, '\r'),
  (t) => t.split('\n').map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join(''),
];

/** A random edit of a text: delete a slice, insert a fragment of the language or a random string. */
const edited = (text: string) =>
  fc.oneof(
    fc.tuple(fc.nat(text.length), fc.nat(60)).map(([i, len]) => text.slice(0, i) + text.slice(i + len)),
    fc
      .tuple(fc.nat(text.length), fc.oneof(fc.constantFrom('(', ')', '{', '}', '[', ']', ',', '=', '"', '\n', '# note\n', 'LSTM(', 'model ', 'let ', 'train m on d {', 'predict m', ' on '), fc.string({ maxLength: 8 })))
      .map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
  );

describe('semantic tokens: the writer gives the reference walk\'s tokens', () => {
  const examples = exampleTexts();

  it('the examples, in every line-ending style', () => {
    for (const text of examples) for (const style of STYLES) assertAsReference(style(text), 0, text.length, 50);
  });

  it('random edits of the examples, every line-ending style, any range and cap', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples).chain(edited), fc.constantFrom(...STYLES), fc.nat(), fc.nat(), fc.nat(80), (raw, style, x, y, cap) => {
        const text = style(raw);
        const [from, to] = [x % (text.length + 1), y % (text.length + 1)].sort((p, q) => p - q);
        assertAsReference(text, from, to, cap);
      }),
      { numRuns: fuzzRuns(300), seed: 610 },
    );
  });

  it('token soup from the language', () => {
    const token = fc.constantFrom('model', 'let', 'data', 'train', 'predict', 'on', 'm', 'x', 'd', '{', '}', '(', ')', '[', ']', ',', '=', '\n', '\r\n', '\r', '3', '-2', '0.5', 'None', 'True', '"relu"', 'LSTM', 'Dense', 'Bidirectional', 'input', 'csv', 'epochs', 'units', '+', '*', '# c\n', '//');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 120 }), fc.nat(), fc.nat(), fc.nat(40), (tokens, x, y, cap) => {
        const text = tokens.join(' ');
        const [from, to] = [x % (text.length + 1), y % (text.length + 1)].sort((p, q) => p - q);
        assertAsReference(text, from, to, cap);
      }),
      { numRuns: fuzzRuns(300), seed: 611 },
    );
  });

  it('the pathological shapes (16 KB)', () => {
    for (const { name, text } of pathologicalDocuments(16 * 1024)) {
      try {
        assertAsReference(text, Math.floor(text.length / 3), Math.floor(text.length / 2), 1000);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message.slice(0, 400)}`);
      }
    }
  });
});

describe('semantic tokens: the numbers sent', () => {
  it('are the same on both sides of the writer\'s chunks of 1,638 tokens, whatever the cap', () => {
    const a = analyze('model m {\n  input(3, 1)\n' + '  Dense(1, activation="relu")\n'.repeat(1500) + '}\n');
    const expected = referenceTokens(a);
    assert.ok(expected.length > 3 * 1638);
    for (const cap of [1637, 1638, 1639, 2 * 1638, 3 * 1638 + 1, Infinity]) {
      const data = semanticTokenData(a, undefined, cap);
      assert.ok(Array.isArray(data) && data.every((n) => Number.isInteger(n) && n >= 0), 'a plain array of LSP integers');
      assert.deepEqual(decode(data), expected.slice(0, cap), `cap ${cap}`);
    }
  });
});

describe('semantic tokens: what a grammar-colouring client is not sent', () => {
  // The `semantic` answer leaves keywords, literals and comments to the editor's grammar
  // (syntaxes/seqmodel.tmLanguage.json): it must colour each of them as what it is, over the same characters.
  const FAMILY: Record<string, RegExp> = { keyword: /^(keyword\.other|constant\.language)\./, number: /^constant\.numeric\./, string: /^string\.quoted\./, comment: /^comment\./ };

  async function assertGrammarColours(name: string, text: string, limit: number): Promise<void> {
    const grammar = await loadGrammar();
    const lines = text.split('\n');
    const scopes: { start: number; end: number; scopes: string[] }[][] = [];
    let state = INITIAL;
    for (const line of lines) {
      const r = grammar.tokenizeLine(line, state);
      scopes.push(r.tokens.map((t) => ({ start: t.startIndex, end: t.endIndex, scopes: t.scopes })));
      state = r.ruleStack;
    }
    const left = decode(semanticTokenData(analyze(text), undefined, Infinity)).filter((t) => GRAMMAR_COLOURED.has(t[3]));
    assert.ok(left.length > 0 || limit < Infinity, `${name}: no keyword, literal or comment`);
    for (const [line, char, length, t] of left.slice(0, limit)) {
      const kind = LEGEND.tokenTypes[t];
      const covering = scopes[line].filter((s) => s.end > char && s.start < char + length);
      const where = `${name} ${line + 1}:${char + 1} ${JSON.stringify(lines[line].slice(char, char + length))} (${kind})`;
      assert.ok(covering.length > 0 && covering[0].start <= char && covering[covering.length - 1].end >= char + length, `${where}: not covered`);
      for (const c of covering) assert.ok(c.scopes.some((s) => FAMILY[kind].test(s)), `${where}: the grammar says ${c.scopes.join(' ')}`);
    }
  }

  it('the grammar colours each of them, as what it is, over the same characters: the examples', async () => {
    for (const [i, text] of exampleTexts().entries()) await assertGrammarColours(`example ${i}`, text, Infinity);
  });

  it('and the pathological shapes (16 KB, LF ones)', async () => {
    for (const { name, text } of pathologicalDocuments(16 * 1024)) if (!text.includes('\r')) await assertGrammarColours(name, text, 2000);
  });
});
