import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';

// Python source as the importer needs it: a small tree of statements and expressions read
// from @lezer/python's concrete syntax tree. Lezer recovers from errors (notebook magics,
// half-typed code), so a bad line becomes an 'error' statement instead of failing the file.
// Only what Keras model code uses is modelled; everything else is 'other' with its span, so
// the importer can still name it in a warning.

export interface Located {
  from: number;
  to: number;
}

export type PyExpr = Located &
  (
    | { k: 'num'; value: number }
    | { k: 'str'; value: string }
    /** True, False, None. */
    | { k: 'lit'; value: boolean | null }
    | { k: 'name'; name: string }
    | { k: 'attr'; object: PyExpr; name: string }
    /** x[...]: `index` is null for a slice or several indices. */
    | { k: 'subscript'; object: PyExpr; index: PyExpr | null; slice: Slice | null }
    | { k: 'call'; callee: PyExpr; args: PyExpr[]; kwargs: PyKwarg[]; spread: boolean }
    | { k: 'tuple'; items: PyExpr[] }
    | { k: 'list'; items: PyExpr[] }
    | { k: 'binary'; op: string; left: PyExpr; right: PyExpr }
    | { k: 'unary'; op: string; operand: PyExpr }
    /** [element for targets in iter] (one `for`, no `if`). */
    | { k: 'comp'; element: PyExpr; targets: string[]; iter: PyExpr }
    | { k: 'other' }
  );

/** A slice a[start:stop] with one colon (a[:n], a[n:]). */
export interface Slice {
  start: PyExpr | null;
  stop: PyExpr | null;
}

export interface PyKwarg {
  name: string;
  value: PyExpr;
}

export type PyStmt = Located &
  (
    | { k: 'assign'; targets: PyExpr[][]; value: PyExpr }
    | { k: 'expr'; expr: PyExpr }
    | { k: 'def'; name: string; params: string[]; body: PyStmt[] }
    | { k: 'class'; name: string; bases: PyExpr[]; body: PyStmt[] }
    /** if / with / try / while: the first body (what runs when all goes well), and an if's test. */
    | { k: 'block'; keyword: string; test: PyExpr | null; body: PyStmt[]; branches: number }
    | { k: 'for'; targets: string[]; iter: PyExpr; body: PyStmt[] }
    | { k: 'return'; value: PyExpr | null }
    | { k: 'import' }
    | { k: 'pass' }
    | { k: 'other' }
    | { k: 'error' }
  );

export function parsePython(text: string): PyStmt[] {
  const tree = parser.parse(text);
  return statements(tree.topNode, text);
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', 'Comment']);

function statements(node: SyntaxNode, text: string): PyStmt[] {
  const out: PyStmt[] = [];
  for (const c of children(node)) {
    if (c.name === ':' || c.name === 'Comment') continue;
    out.push(statement(c, text));
  }
  return out;
}

function statement(node: SyntaxNode, text: string): PyStmt {
  const at = { from: node.from, to: node.to };
  const kids = children(node);
  switch (node.name) {
    case 'AssignStatement': {
      // a = b = value, and a, b = value: groups of targets separated by '='.
      const groups: SyntaxNode[][] = [[]];
      for (const c of kids) {
        if (c.name === 'AssignOp') groups.push([]);
        else if (c.name !== ',' && c.name !== 'TypeDef') groups[groups.length - 1].push(c);
      }
      const valueNodes = groups.pop()!;
      if (valueNodes.length === 0 || groups.length === 0 || groups.some((g) => g.length === 0) || kids.some((c) => c.name === '⚠')) return { k: 'error', ...at };
      const value = valueNodes.length === 1 ? expression(valueNodes[0], text) : { k: 'tuple' as const, items: valueNodes.map((n) => expression(n, text)), from: valueNodes[0].from, to: node.to };
      return { k: 'assign', targets: groups.map((g) => g.map((n) => expression(n, text))), value, ...at };
    }
    case 'ExpressionStatement': {
      const exprs = kids.filter((c) => c.name !== ',');
      if (exprs.length !== 1 || exprs[0].name === '⚠') return { k: 'error', ...at };
      return { k: 'expr', expr: expression(exprs[0], text), ...at };
    }
    case 'FunctionDefinition': {
      const name = kids.find((c) => c.name === 'VariableName');
      const params = kids.find((c) => c.name === 'ParamList');
      const body = kids.find((c) => c.name === 'Body');
      return {
        k: 'def',
        name: name ? text.slice(name.from, name.to) : '',
        params: params ? children(params).filter((c) => c.name === 'VariableName').map((c) => text.slice(c.from, c.to)) : [],
        body: body ? statements(body, text) : [],
        ...at,
      };
    }
    case 'ClassDefinition': {
      const name = kids.find((c) => c.name === 'VariableName');
      const args = kids.find((c) => c.name === 'ArgList');
      const body = kids.find((c) => c.name === 'Body');
      return { k: 'class', name: name ? text.slice(name.from, name.to) : '', bases: args ? argList(args, text).args : [], body: body ? statements(body, text) : [], ...at };
    }
    case 'ForStatement': {
      const inAt = kids.findIndex((c) => c.name === 'in');
      const body = kids.find((c) => c.name === 'Body');
      const targets = kids.slice(1, inAt).filter((c) => c.name === 'VariableName').map((c) => text.slice(c.from, c.to));
      const iterNode = kids[inAt + 1];
      if (inAt < 0 || !iterNode) return { k: 'error', ...at };
      return { k: 'for', targets, iter: expression(iterNode, text), body: body ? statements(body, text) : [], ...at };
    }
    case 'IfStatement':
    case 'WithStatement':
    case 'TryStatement':
    case 'WhileStatement':
    {
      const bodies = kids.filter((c) => c.name === 'Body');
      const keyword = kids[0]?.name ?? '';
      const test = keyword === 'if' && kids[1] && kids[1].name !== 'Body' ? expression(kids[1], text) : null;
      return { k: 'block', keyword, test, body: bodies[0] ? statements(bodies[0], text) : [], branches: bodies.length, ...at };
    }
    case 'ReturnStatement': {
      const value = kids.find((c) => c.name !== 'return' && c.name !== ',');
      return { k: 'return', value: value ? expression(value, text) : null, ...at };
    }
    case 'ImportStatement':
      return { k: 'import', ...at };
    case 'PassStatement':
      return { k: 'pass', ...at };
    case '⚠':
      return { k: 'error', ...at };
    default:
      return { k: 'other', ...at };
  }
}

function pyString(raw: string): string | null {
  const m = /^([rRuUbB]*)('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!m) return null;
  const [, prefix, , body] = m;
  if (/[bB]/.test(prefix)) return null;
  if (/[rR]/.test(prefix)) return body;
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', '\n': '' };
  return body.replace(/\\(.)/gs, (_m, ch: string) => escapes[ch] ?? `\\${ch}`);
}

function pyNumber(raw: string): number | null {
  const clean = raw.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return null; // complex
  if (/^0[xob]/i.test(clean)) return Number(clean);
  const n = Number(clean.replace(/[lL]$/, ''));
  return Number.isFinite(n) ? n : null;
}

export function expression(node: SyntaxNode, text: string): PyExpr {
  const at = { from: node.from, to: node.to };
  const raw = text.slice(node.from, node.to);
  const kids = children(node);
  switch (node.name) {
    case 'Number': {
      const value = pyNumber(raw);
      return value === null ? { k: 'other', ...at } : { k: 'num', value, ...at };
    }
    case 'String': {
      const value = pyString(raw);
      return value === null ? { k: 'other', ...at } : { k: 'str', value, ...at };
    }
    case 'ContinuedString': {
      const parts = kids.map((c) => pyString(text.slice(c.from, c.to)));
      return parts.some((p) => p === null) ? { k: 'other', ...at } : { k: 'str', value: parts.join(''), ...at };
    }
    case 'Boolean':
      return { k: 'lit', value: raw === 'True', ...at };
    case 'None':
      return { k: 'lit', value: null, ...at };
    case 'VariableName':
      return { k: 'name', name: raw, ...at };
    case 'ParenthesizedExpression': {
      const inner = kids.filter((c) => !PUNCTUATION.has(c.name));
      return inner.length === 1 ? expression(inner[0], text) : { k: 'other', ...at };
    }
    case 'TupleExpression':
    case 'ArrayExpression': {
      const items = kids.filter((c) => !PUNCTUATION.has(c.name));
      if (items.some((c) => c.name === '*' || c.name === 'for')) return { k: 'other', ...at };
      return { k: node.name === 'TupleExpression' ? 'tuple' : 'list', items: items.map((c) => expression(c, text)), ...at };
    }
    case 'ArrayComprehensionExpression': {
      const forAt = kids.findIndex((c) => c.name === 'for');
      const inAt = kids.findIndex((c) => c.name === 'in');
      const element = kids[forAt - 1];
      const iter = kids[inAt + 1];
      const more = kids.slice(inAt + 2).some((c) => c.name === 'for' || c.name === 'if');
      if (forAt < 1 || inAt < 0 || !element || !iter || more) return { k: 'other', ...at };
      const targets = kids.slice(forAt + 1, inAt).filter((c) => c.name === 'VariableName').map((c) => text.slice(c.from, c.to));
      return { k: 'comp', element: expression(element, text), targets, iter: expression(iter, text), ...at };
    }
    case 'MemberExpression': {
      const object = expression(kids[0], text);
      const prop = kids.find((c) => c.name === 'PropertyName');
      if (kids[1]?.name === '.' && prop) return { k: 'attr', object, name: text.slice(prop.from, prop.to), ...at };
      // Subscript: one index, or one slice with a single colon.
      const inner = kids.slice(2, -1);
      const colons = inner.filter((c) => c.name === ':').length;
      if (inner.some((c) => c.name === ',')) return { k: 'subscript', object, index: null, slice: null, ...at };
      if (colons === 0 && inner.length === 1) return { k: 'subscript', object, index: expression(inner[0], text), slice: null, ...at };
      if (colons === 1) {
        const colon = inner.findIndex((c) => c.name === ':');
        const before = inner.slice(0, colon);
        const after = inner.slice(colon + 1);
        return {
          k: 'subscript',
          object,
          index: null,
          slice: { start: before.length === 1 ? expression(before[0], text) : null, stop: after.length === 1 ? expression(after[0], text) : null },
          ...at,
        };
      }
      return { k: 'subscript', object, index: null, slice: null, ...at };
    }
    case 'CallExpression': {
      const args = kids.find((c) => c.name === 'ArgList');
      if (!args) return { k: 'other', ...at };
      return { k: 'call', callee: expression(kids[0], text), ...argList(args, text), ...at };
    }
    case 'BinaryExpression': {
      const op = kids[1];
      if (kids.length !== 3 || !op) return { k: 'other', ...at };
      return { k: 'binary', op: text.slice(op.from, op.to), left: expression(kids[0], text), right: expression(kids[2], text), ...at };
    }
    case 'UnaryExpression': {
      if (kids.length !== 2) return { k: 'other', ...at };
      return { k: 'unary', op: text.slice(kids[0].from, kids[0].to), operand: expression(kids[1], text), ...at };
    }
    default:
      return { k: 'other', ...at };
  }
}

function argList(node: SyntaxNode, text: string): { args: PyExpr[]; kwargs: PyKwarg[]; spread: boolean } {
  const args: PyExpr[] = [];
  const kwargs: PyKwarg[] = [];
  let spread = false;
  let group: SyntaxNode[] = [];
  const flush = () => {
    if (group.length === 0) return;
    if (group[0].name === '*' || group[0].name === '**') spread = true;
    else if (group.length === 3 && group[0].name === 'VariableName' && group[1].name === 'AssignOp') kwargs.push({ name: text.slice(group[0].from, group[0].to), value: expression(group[2], text) });
    else if (group.length === 1) args.push(expression(group[0], text));
    else spread = true; // a generator argument or something unusual: not a plain call
    group = [];
  };
  for (const c of children(node)) {
    if (c.name === '(' || c.name === ')' || c.name === 'Comment') continue;
    if (c.name === ',') flush();
    else group.push(c);
  }
  flush();
  return { args, kwargs, spread };
}

/** `keras.layers.LSTM` → ['keras', 'layers', 'LSTM']; null for anything but names and dots. */
export function dottedName(e: PyExpr): string[] | null {
  if (e.k === 'name') return [e.name];
  if (e.k === 'attr') {
    const head = dottedName(e.object);
    return head ? [...head, e.name] : null;
  }
  return null;
}

/** The last part of a dotted callee: `tf.keras.layers.LSTM` → 'LSTM'. */
export function calleeName(e: PyExpr): string | null {
  const parts = dottedName(e);
  return parts ? parts[parts.length - 1] : null;
}
