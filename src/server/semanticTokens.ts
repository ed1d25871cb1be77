import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { LAYERS, type Analysis, type Span } from '../language';
import type * as A from '../language/ast';
import { lookupLayer } from '../language/layers/registry';
import { tokenize } from '../language/lexer';

// Semantic tokens tell what the grammar cannot: which words are constants, data sources or
// models (by the analysis's symbols), which calls are Keras layers, which identifiers are
// argument names, train settings or enum words (`activation=relu`).

export const TOKEN_TYPES = ['keyword', 'variable', 'type', 'class', 'function', 'parameter', 'property', 'enumMember', 'string', 'number', 'comment'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
const TYPE_INDEX = new Map(TOKEN_TYPES.map((t, i) => [t, i]));
const DECLARATION = 1;
const READONLY = 2;
const DEFAULT_LIBRARY = 4;
const LITERAL_WORDS = new Set(['None', 'True', 'False', 'true', 'false']);

interface Kind {
  type: TokenType;
  mods: number;
}

/** Semantic tokens of the whole document, or of the lines a range covers. */
export function semanticTokens(analysis: Analysis, range?: Span): SemanticTokens {
  const idents = classifyIdentifiers(analysis);
  const builder = new SemanticTokensBuilder();
  const from = range ? analysis.lines.lineStart(analysis.lines.positionAt(range.start).line) : 0;
  const to = range ? range.end : analysis.text.length;
  // Lexing from a line start is exact: every token but a comment or string ends on its line.
  const offset = from;
  for (const t of tokenize(analysis.text.slice(from, to))) {
    let kind: Kind | undefined;
    switch (t.kind) {
      case 'keyword':
        kind = { type: 'keyword', mods: 0 };
        break;
      case 'number':
        kind = { type: 'number', mods: 0 };
        break;
      case 'string':
        kind = { type: 'string', mods: 0 };
        break;
      case 'comment':
        kind = { type: 'comment', mods: 0 };
        break;
      case 'ident':
        kind = LITERAL_WORDS.has(t.text) ? { type: 'keyword', mods: 0 } : idents.get(t.start + offset);
        break;
      default:
        break;
    }
    if (!kind) continue;
    const pos = analysis.lines.positionAt(t.start + offset);
    builder.push(pos.line, pos.character, t.end - t.start, TYPE_INDEX.get(kind.type)!, kind.mods);
  }
  return builder.build();
}

function classifyIdentifiers(analysis: Analysis): Map<number, Kind> {
  const out = new Map<number, Kind>();
  for (const s of analysis.symbols) {
    const type: TokenType = s.kind === 'model' ? 'type' : 'variable';
    const readonly = s.kind === 'constant' ? READONLY : 0;
    out.set(s.nameSpan.start, { type, mods: DECLARATION | readonly });
    for (const r of s.references) out.set(r.start, { type, mods: readonly });
  }
  const visit = (e: A.Expr | null): void => {
    if (!e) return;
    switch (e.kind) {
      case 'call':
        out.set(e.callee.span.start, lookupLayer(e.callee.name) || LAYERS.has(e.callee.name) ? { type: 'class', mods: DEFAULT_LIBRARY } : { type: 'function', mods: DEFAULT_LIBRARY });
        for (const a of e.args) {
          if (a.name) out.set(a.name.span.start, { type: 'parameter', mods: 0 });
          visit(a.value);
        }
        break;
      case 'ident':
        if (!out.has(e.span.start)) out.set(e.span.start, { type: 'enumMember', mods: 0 });
        break;
      case 'tuple':
      case 'list':
        e.items.forEach(visit);
        break;
      case 'unary':
        visit(e.operand);
        break;
      case 'binary':
        visit(e.left);
        visit(e.right);
        break;
      default:
        break;
    }
  };
  for (const stmt of analysis.document.statements) {
    switch (stmt.kind) {
      case 'let':
      case 'data':
        visit(stmt.value);
        break;
      case 'model':
        stmt.layers.forEach(visit);
        break;
      case 'train':
        for (const s of stmt.settings) {
          out.set(s.name.span.start, { type: 'property', mods: 0 });
          visit(s.value);
        }
        break;
      case 'predict':
        visit(stmt.input);
        break;
    }
  }
  return out;
}
