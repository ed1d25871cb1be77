import type * as A from './ast';
import { tokenize } from './lexer';
import { lastStatementStartingBy, statementAt } from './query';
import type { Token } from './tokens';
import { lastStartingBy } from './search';

// What may be typed at the cursor. Read from the tokens of the current statement up to the
// cursor rather than from the syntax tree, because while typing the statement is almost
// always incomplete (`LSTM(50, activ`) and the tree has only error nodes there.

/** An open call around the cursor and what has been written in it so far. */
export interface CallFrame {
  callee: string;
  /** Offset of the `(`. */
  open: number;
  /** Positional arguments written before the current one. */
  positional: number;
  /** Keyword arguments written so far (including the current one when it has `name=`). */
  given: string[];
  /** The keyword of the argument the cursor is in, when written as `name=`. */
  keyword: string | null;
  /** Whether a keyword argument came before: later positional ones are errors in Python. */
  sawKeyword: boolean;
}

export type CompletionContext =
  /** Inside a comment, after a number, or nothing sensible. */
  | { kind: 'none' }
  /** Start of a top-level line: keywords. */
  | { kind: 'statement' }
  /** Start of a line in a model block: layers (and input(...) on the first line). */
  | { kind: 'layer'; firstLine: boolean }
  /** Start of a line in a train block: settings not yet given. */
  | { kind: 'setting'; given: string[] }
  /** After `setting =` (or inside its list for metrics). */
  | { kind: 'settingValue'; setting: string; inList: boolean; quoted: boolean }
  /** Where an argument starts in a call: argument names, and values for the positional one. */
  | { kind: 'argument'; frame: CallFrame }
  /** After `name=` in a call. */
  | { kind: 'argumentValue'; frame: CallFrame; arg: string; quoted: boolean }
  /** After `data NAME =`. */
  | { kind: 'dataSource' }
  /** After `train`, `train a,` or `predict`. */
  | { kind: 'modelName'; exclude: string[] }
  /** After `on` in a train statement. */
  | { kind: 'dataName' }
  /** After `train a, b` with no `on` yet. */
  | { kind: 'keywordOn' }
  /** Any other expression (a constant's value, a list item): defined constants. */
  | { kind: 'expression' };

export interface CompletionQuery {
  context: CompletionContext;
  /** The word being typed, which the completion replaces. */
  prefix: { start: number; end: number; text: string };
  /** The innermost open call around the cursor, for signature help. */
  call: CallFrame | null;
}

interface Bracket {
  char: '(' | '[';
  frame: CallFrame | null;
}

/**
 * The most text read before the cursor. A statement longer than this (a pasted megabyte inside
 * one expression) gets no completion rather than a scan that grows with the file.
 */
export const MAX_SCAN = 64 * 1024;

export function completionQuery(doc: A.Document, text: string, offset: number): CompletionQuery {
  offset = Math.max(0, Math.min(offset, text.length));
  const none = (call: CallFrame | null = null): CompletionQuery => ({ context: { kind: 'none' }, prefix: { start: offset, end: offset, text: '' }, call });
  const resume = scanStart(doc, text, offset);
  const start = resume.start;
  if (offset - start > MAX_SCAN) return none();
  const tokens = tokenize(text.slice(start, offset)).map((t) => ({ ...t, start: t.start + start, end: t.end + start }));
  tokens.pop(); // eof

  let last = tokens[tokens.length - 1];

  // A word being typed is the prefix; a string being typed may be an enum value in quotes.
  let prefix = { start: offset, end: offset, text: '' };
  let quoted = false;
  if (last && last.end === offset && (last.kind === 'ident' || last.kind === 'keyword')) {
    prefix = { start: last.start, end: offset, text: last.text };
    tokens.pop();
  } else if (last && last.kind === 'string' && last.end === offset && stringOpen(last)) {
    quoted = true;
    prefix = { start: last.start + 1, end: offset, text: last.text.slice(1) };
    tokens.pop();
  } else if (last && last.kind === 'comment') return none();
  // Typing a number: nothing to complete, but signature help still wants the call around it.
  const inNumber = !!last && last.kind === 'number' && last.end === offset;
  last = tokens[tokens.length - 1];

  // Walk the statement: brackets, blocks, and the tokens of the current line.
  const stack: Bracket[] = [];
  let block: 'model' | 'train' | null = resume.block;
  let blockLines = resume.linesBefore;
  let given: string[] = resume.given;
  let line: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'comment') continue;
    const top = stack[stack.length - 1];
    if (t.kind === 'newline' || (t.kind === 'punct' && t.text === ';')) {
      if (stack.length === 0) {
        if (block && line.length) blockLines++;
        if (block === 'train' && line[0]?.kind === 'ident') given.push(line[0].text);
        line = [];
      }
      continue;
    }
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) {
      const prev = tokens[i - 1];
      // `LSTM(` opens a call; a bare `(` a tuple.
      const frame: CallFrame | null =
        t.text === '(' && prev?.kind === 'ident' ? { callee: prev.text, open: t.start, positional: 0, given: [], keyword: null, sawKeyword: false } : null;
      stack.push({ char: t.text, frame });
      line.push(t);
      continue;
    }
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) {
      stack.pop();
      line.push(t);
      continue;
    }
    if (top && t.kind === 'punct' && t.text === ',') {
      if (top.frame) {
        if (top.frame.keyword === null) top.frame.positional++;
        top.frame.keyword = null;
      }
      line.push(t);
      continue;
    }
    if (top?.frame && t.kind === 'punct' && t.text === '=') {
      const prev = tokens[i - 1];
      const before = tokens[i - 2];
      if (prev?.kind === 'ident' && before && before.kind === 'punct' && (before.text === '(' || before.text === ',')) {
        top.frame.keyword = prev.text;
        top.frame.given.push(prev.text);
        top.frame.sawKeyword = true;
      }
      line.push(t);
      continue;
    }
    if (stack.length === 0 && t.kind === 'punct' && t.text === '{') {
      const head = line[0];
      block = head?.kind === 'keyword' && head.text === 'model' ? 'model' : head?.kind === 'keyword' && head.text === 'train' ? 'train' : null;
      blockLines = 0;
      given = [];
      line = [];
      continue;
    }
    if (stack.length === 0 && t.kind === 'punct' && t.text === '}') {
      block = null;
      line = [];
      continue;
    }
    line.push(t);
  }

  const frames = stack.filter((b) => b.frame).map((b) => b.frame!);
  const call = frames[frames.length - 1] ?? null;
  const result = (context: CompletionContext): CompletionQuery => ({ context, prefix, call });
  const top = stack[stack.length - 1];
  if (inNumber) return none(call);

  if (top) {
    const afterOpenOrComma = !last || (last.kind === 'punct' && (last.text === '(' || last.text === ',' || last.text === '['));
    if (top.frame) {
      const afterEquals = last?.kind === 'punct' && last.text === '=' && top.frame.keyword !== null;
      if (afterEquals) return result({ kind: 'argumentValue', frame: top.frame, arg: top.frame.keyword!, quoted });
      if (afterOpenOrComma && !quoted) return result({ kind: 'argument', frame: top.frame });
      if (afterOpenOrComma && quoted) return result({ kind: 'argumentValue', frame: top.frame, arg: '', quoted });
      return none(call);
    }
    // A list or tuple: in `metrics = [...]` its items are metric names.
    const setting = block === 'train' && stack.length === 1 && line[0]?.kind === 'ident' && line[1]?.text === '=' ? line[0].text : null;
    if (afterOpenOrComma && setting) return result({ kind: 'settingValue', setting, inList: true, quoted });
    if (afterOpenOrComma && !quoted) return result({ kind: 'expression' });
    return none(call);
  }

  if (block === 'model') {
    if (line.length === 0 && !quoted) return result({ kind: 'layer', firstLine: blockLines === 0 });
    return none();
  }
  if (block === 'train') {
    if (line.length === 0 && !quoted) return result({ kind: 'setting', given });
    if (line.length === 2 && line[0].kind === 'ident' && line[1].text === '=') return result({ kind: 'settingValue', setting: line[0].text, inList: false, quoted });
    return none();
  }

  if (quoted) return none();
  if (line.length === 0) return result({ kind: 'statement' });
  const head = line[0];
  if (head.kind !== 'keyword') return none();
  switch (head.text) {
    case 'train': {
      const onIndex = line.findIndex((t, i) => i > 0 && t.kind === 'keyword' && t.text === 'on');
      const names = line.filter((t) => t.kind === 'ident').map((t) => t.text);
      if (onIndex >= 0) return line.length === onIndex + 1 ? result({ kind: 'dataName' }) : none();
      if (last === head || last?.text === ',') return result({ kind: 'modelName', exclude: names });
      if (last?.kind === 'ident') return result({ kind: 'keywordOn' });
      return none();
    }
    case 'predict':
      return line.length === 1 ? result({ kind: 'modelName', exclude: [] }) : none();
    case 'data':
      return line.length === 3 && line[2].text === '=' ? result({ kind: 'dataSource' }) : none();
    case 'let':
      return line.length >= 3 && line[2].text === '=' ? result({ kind: 'expression' }) : none();
    default:
      return none();
  }
}

/** A string token that is still being typed: no closing quote yet. */
function stringOpen(t: Token): boolean {
  if (t.text.length < 2) return true;
  const q = t.text[0];
  if (t.text[t.text.length - 1] !== q) return true;
  // A closing quote preceded by an odd number of backslashes is escaped.
  let slashes = 0;
  for (let i = t.text.length - 2; i > 0 && t.text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/** Where reading starts, and what the block before that point already holds. */
interface ScanStart {
  start: number;
  block: 'model' | 'train' | null;
  /** Lines of the block before `start`. */
  linesBefore: number;
  /** Train settings given before `start`. */
  given: string[];
}

/**
 * Where to start reading: the start of the statement around the cursor, or of the last one
 * before it (the cursor may be past its end, on a new line in an unclosed block). Inside a
 * block, the start of the layer or setting the cursor is in or after, so a model of 100,000
 * layers is not read from its top. A line start is the fallback, so the scan is bounded by
 * one statement, not the file.
 */
function scanStart(doc: A.Document, text: string, offset: number): ScanStart {
  const at = (start: number): ScanStart => ({ start, block: null, linesBefore: 0, given: [] });
  let stmt = statementAt(doc, offset);
  if (!stmt) {
    const found = lastStatementStartingBy(doc, offset);
    const before = found >= 0 ? doc.statements[found] : undefined;
    // An unclosed block runs to the cursor; a closed or block-less statement has ended.
    if (before && (before.kind === 'model' || before.kind === 'train') && before.open && !before.close) stmt = before;
  }
  if (!stmt) {
    let i = offset;
    while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
    return at(i);
  }
  if ((stmt.kind === 'model' || stmt.kind === 'train') && stmt.open && offset >= stmt.open.end && (!stmt.close || offset <= stmt.close.start)) {
    const items: { span: { start: number } }[] = stmt.kind === 'model' ? stmt.layers : stmt.settings.map((s) => ({ span: s.name.span }));
    const i = lastStartingBy(items, offset);
    if (i >= 0) {
      const given = stmt.kind === 'train' ? stmt.settings.slice(0, i).map((s) => s.name.name) : [];
      return { start: items[i].span.start, block: stmt.kind, linesBefore: i, given };
    }
  }
  return at(stmt.span.start);
}

