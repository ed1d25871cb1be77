import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Analysis, Span } from '../language';
import type { Ast as A } from '../language';
import { lookupLayer } from '../language';

// Semantic tokens tell what the grammar cannot: which words are constants, data sources or
// models (by the analysis's symbols), which calls are Keras layers, which identifiers are
// argument names, train settings or enum words (`activation=relu`). Keywords, numbers,
// strings and comments are included for editors without a TextMate grammar (Neovim, Helix).
// Everything is read from the syntax tree the analysis already has, not by lexing again: on a
// 10,000-line file that is the difference between a few and a hundred milliseconds.

export const TOKEN_TYPES = ['keyword', 'variable', 'type', 'class', 'function', 'parameter', 'property', 'enumMember', 'string', 'number', 'comment'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const DECLARATION = 1;
const READONLY = 2;
const DEFAULT_LIBRARY = 4;

/** Semantic tokens of the whole document, or of the lines a range covers. */
export function semanticTokens(analysis: Analysis, range?: Span): SemanticTokens {
  const { lines, text } = analysis;
  const from = range ? lines.lineStart(lines.positionAt(range.start).line) : 0;
  const to = range ? range.end : text.length;
  const code = collect(analysis, from, to);
  const comments = analysis.document.comments.filter((c) => c.span.end >= from && c.span.start <= to);

  // Merge the code tokens (in source order) with the comments (in source order), and encode
  // each relative to the previous one, walking the lines forward instead of searching them.
  const data: number[] = [];
  let line = lines.positionAt(from).line;
  let lineStart = lines.lineStart(line);
  let nextLineStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Infinity;
  let prevLine = 0;
  let prevChar = 0;
  const push = (start: number, length: number, type: number, mods: number) => {
    while (start >= nextLineStart) {
      line++;
      lineStart = nextLineStart;
      nextLineStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Infinity;
    }
    const char = start - lineStart;
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, length, type, mods);
    prevLine = line;
    prevChar = char;
  };
  let c = 0;
  for (let i = 0; i < code.length; i += 4) {
    while (c < comments.length && comments[c].span.start < code[i]) {
      push(comments[c].span.start, comments[c].span.end - comments[c].span.start, T.comment, 0);
      c++;
    }
    push(code[i], code[i + 1], code[i + 2], code[i + 3]);
  }
  for (; c < comments.length; c++) push(comments[c].span.start, comments[c].span.end - comments[c].span.start, T.comment, 0);
  return { data };
}

/** Code tokens as flat [start, length, type, modifiers] quadruples, in source order. */
function collect(analysis: Analysis, from: number, to: number): number[] {
  const { text } = analysis;
  const symbolKind = new Map<number, [number, number]>();
  for (const s of analysis.symbols) {
    const type = s.kind === 'model' ? T.type : T.variable;
    const readonly = s.kind === 'constant' ? READONLY : 0;
    symbolKind.set(s.nameSpan.start, [type, DECLARATION | readonly]);
    for (const r of s.references) symbolKind.set(r.start, [type, readonly]);
  }

  const out: number[] = [];
  let last = -1;
  const emit = (span: Span, type: number, mods = 0) => {
    // Source order is kept by construction; the check only guards against a node visited twice.
    if (span.end <= span.start || span.start <= last || span.end < from || span.start > to) return;
    out.push(span.start, span.end - span.start, type, mods);
    last = span.start;
  };
  const keyword = (at: number, word: string) => {
    if (text.startsWith(word, at)) emit({ start: at, end: at + word.length }, T.keyword);
  };
  const name = (id: A.Ident | null, fallback: number) => {
    if (!id) return;
    const k = symbolKind.get(id.span.start);
    emit(id.span, k ? k[0] : fallback, k ? k[1] : 0);
  };
  const expr = (e: A.Expr | null): void => {
    if (!e || e.span.end < from || e.span.start > to) return;
    switch (e.kind) {
      case 'number':
        emit(e.span, T.number);
        break;
      case 'string':
        emit(e.span, T.string);
        break;
      case 'bool':
      case 'none':
        emit(e.span, T.keyword);
        break;
      case 'ident':
        name(e, T.enumMember);
        break;
      case 'call':
        emit(e.callee.span, lookupLayer(e.callee.name) ? T.class : T.function, DEFAULT_LIBRARY);
        for (const a of e.args) {
          if (a.name) emit(a.name.span, T.parameter);
          expr(a.value);
        }
        break;
      case 'tuple':
      case 'list':
        e.items.forEach(expr);
        break;
      case 'unary':
        expr(e.operand);
        break;
      case 'binary':
        expr(e.left);
        expr(e.right);
        break;
      default:
        break;
    }
  };

  for (const stmt of analysis.document.statements) {
    if (stmt.span.end < from) continue;
    if (stmt.span.start > to) break;
    keyword(stmt.span.start, stmt.kind === 'let' ? 'let' : stmt.kind);
    switch (stmt.kind) {
      case 'let':
      case 'data':
        name(stmt.name, T.variable);
        expr(stmt.value);
        break;
      case 'model':
        name(stmt.name, T.type);
        stmt.layers.forEach(expr);
        break;
      case 'train': {
        for (const m of stmt.models) name(m, T.type);
        // `on` is the one keyword the tree does not keep: it stands between the models and the data.
        const after = stmt.models.length ? stmt.models[stmt.models.length - 1].span.end : stmt.span.start + 5;
        const before = stmt.data ? stmt.data.span.start : (stmt.open?.start ?? stmt.span.end);
        const on = /\bon\b/.exec(text.slice(after, before));
        if (on) keyword(after + on.index, 'on');
        name(stmt.data, T.variable);
        for (const s of stmt.settings) {
          emit(s.name.span, T.property);
          expr(s.value);
        }
        break;
      }
      case 'predict':
        name(stmt.model, T.type);
        expr(stmt.input);
        break;
    }
  }
  return out;
}
