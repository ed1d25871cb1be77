import type { Span } from './model';

// The syntax tree. Every node keeps its source span; missing pieces are null so that a
// half-typed statement still yields a node the analyser and the editor features can use.

export interface Ident {
  kind: 'ident';
  span: Span;
  name: string;
}

export interface NumberLit {
  kind: 'number';
  span: Span;
  value: number;
  isInt: boolean;
}

export interface StringLit {
  kind: 'string';
  span: Span;
  value: string;
}

export interface BoolLit {
  kind: 'bool';
  span: Span;
  value: boolean;
}

export interface NoneLit {
  kind: 'none';
  span: Span;
}

export interface Arg {
  span: Span;
  /** The keyword, for `name=value`; null for a positional argument. */
  name: Ident | null;
  /** Null when the value is missing (`units=`). */
  value: Expr | null;
}

export interface Call {
  kind: 'call';
  span: Span;
  callee: Ident;
  args: Arg[];
  /** Span of the `(`...`)` part, end at the `)` or where it should have been. */
  argsSpan: Span;
  closed: boolean;
}

export interface SeqExpr {
  kind: 'tuple' | 'list';
  span: Span;
  items: Expr[];
}

export interface Unary {
  kind: 'unary';
  span: Span;
  op: '-' | '+';
  operand: Expr;
}

export interface Binary {
  kind: 'binary';
  span: Span;
  op: '+' | '-' | '*' | '/' | '//' | '%' | '**';
  left: Expr;
  right: Expr;
}

/** Stands where an expression was expected but none could be read; already reported. */
export interface ErrorExpr {
  kind: 'error';
  span: Span;
}

export type Expr = Ident | NumberLit | StringLit | BoolLit | NoneLit | Call | SeqExpr | Unary | Binary | ErrorExpr;

export interface LetStmt {
  kind: 'let';
  span: Span;
  name: Ident | null;
  value: Expr | null;
}

export interface DataStmt {
  kind: 'data';
  span: Span;
  name: Ident | null;
  value: Expr | null;
}

export interface ModelStmt {
  kind: 'model';
  span: Span;
  name: Ident | null;
  /** One expression per line; a well-formed layer is a Call. */
  layers: Expr[];
  /** The `{` and `}`; null when missing. */
  open: Span | null;
  close: Span | null;
}

export interface Setting {
  span: Span;
  name: Ident;
  value: Expr | null;
}

export interface TrainStmt {
  kind: 'train';
  span: Span;
  models: Ident[];
  data: Ident | null;
  settings: Setting[];
  open: Span | null;
  close: Span | null;
}

export interface PredictStmt {
  kind: 'predict';
  span: Span;
  model: Ident | null;
  input: Expr | null;
}

export type Statement = LetStmt | DataStmt | ModelStmt | TrainStmt | PredictStmt;

export interface Comment {
  span: Span;
  text: string;
}

export interface Document {
  statements: Statement[];
  comments: Comment[];
}
