import type { DraftModel } from '../output';
import type { PyExpr, PyStmt } from './syntax';

// The values the Python importer follows while it reads a script top to bottom. It runs
// nothing: it knows constants (numbers, strings, tuples, arithmetic on them), models being
// built, layers and the tensors of a functional model, and the few data recipes of the
// course material. Everything else is 'unknown', with the reason when one is known.

export type Const = number | string | boolean | null | Const[];

/** A layer in a model: its .seqmodel line and where it was written. */
export interface LayerLine {
  text: string;
  from: number;
  /** Only for layers the importer could not read: the reason (becomes a located comment). */
  problem?: string;
  /** The name of an Input layer line (it starts a functional model). */
  isInput?: boolean;
}

export interface ModelBuild {
  draft: DraftModel;
  /** The settings of the latest compile(...): [name, .seqmodel text]. */
  compiled: [string, string][] | null;
  compileFrom: number;
  /** A fit wrote the compile settings out (as a train block, or in a note). */
  settingsUsed: boolean;
  /** Built inside a function: `net = build()` names it net, not the function's `model`. */
  inFunction: boolean;
}

/** Where a window's features and steps come from, for X.shape[i]. */
export interface DataShape {
  /** .seqmodel text of each dimension after the samples (null when not known). */
  dims: (string | null)[];
  values: (number | null)[];
}

export type Val =
  /** `dsl` is the .seqmodel text: a literal, or a constant's name. */
  | { k: 'const'; value: Const; dsl: string }
  | { k: 'model'; build: ModelBuild }
  /** A layer object, not yet in a model. */
  | { k: 'layer'; line: LayerLine; outputs: number }
  /** A functional model's tensor: its Input line and the layers applied since. */
  | { k: 'tensor'; chain: LayerLine[]; outputs: number }
  /** Literal numbers (a series for split_sequence, an input for predict): steps × features. */
  | { k: 'array'; rows: number[][]; batch: number[][][] | null }
  /** The X or Y (or both, as a pair) of a data source. */
  | { k: 'data'; ref: string; part: 'X' | 'Y'; shape: DataShape }
  /** generate_example(...) per sample (the echo problem), before concatenation. */
  | { k: 'echo'; samples: string; args: string[]; seed: string | null; part: 'X' | 'Y' | null }
  /** imdb.load_data(...): word-id sequences (X) or labels (Y) of the train or test split. */
  | { k: 'imdb'; part: 'X' | 'Y'; vocab: string; samples: string }
  /** pd.read_csv(...) and its column selection. */
  | { k: 'csv'; args: string[]; columns: string | null; columnCount: number | null; base: string }
  /** One column of a pd.read_csv(...) frame, raw["activity"]: the labels of labelled windows. */
  | { k: 'csvColumn'; csv: Extract<Val, { k: 'csv' }>; column: string }
  | { k: 'optimizer'; dsl: string }
  | { k: 'list'; items: Val[] }
  | { k: 'tuple'; items: Val[] }
  | { k: 'function'; name: string; params: string[]; body: PyStmt[]; from: number; to: number }
  /**
   * An RNN cell of TF1 code (tf.contrib.rnn.LSTMCell) or a stack of them; `call`, for a single
   * cell, is its call, read as Keras's cell of the same name when it is passed to RNN(...).
   */
  | { k: 'cells'; layers: LayerLine[]; call?: Extract<PyExpr, { k: 'call' }> }
  /** A Keras cell (PeepholeLSTMCell(8), StackedRNNCells([...])): a layer line once RNN(...) takes it. */
  | { k: 'cell'; call: Extract<PyExpr, { k: 'call' }> }
  | { k: 'unknown'; why?: string };

export const UNKNOWN: Val = { k: 'unknown' };

/** A problem with one expression, reported at it. */
export class ImportProblem extends Error {
  constructor(
    message: string,
    readonly at: PyExpr | PyStmt | { from: number; to: number },
  ) {
    super(message);
  }
}

/** A number as .seqmodel writes it (Python's exponent form is accepted as is). */
export function dslNumber(x: number): string {
  return String(x);
}

export function dslString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A .seqmodel literal for a constant value. */
export function dslConst(value: Const, tuple = false): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return dslNumber(value);
  if (typeof value === 'string') return dslString(value);
  const items = value.map((v) => dslConst(v));
  if (tuple) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  return `[${items.join(', ')}]`;
}

/** Python arithmetic on constants, as far as shapes and rates need it. */
export function arithmetic(op: string, a: Const, b: Const): Const | undefined {
  if (typeof a !== 'number' || typeof b !== 'number') {
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    return undefined;
  }
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '//':
      return b === 0 ? undefined : Math.floor(a / b);
    case '%':
      return b === 0 ? undefined : a - b * Math.floor(a / b);
    case '**': {
      const r = a ** b;
      return Number.isFinite(r) ? r : undefined;
    }
  }
  return undefined;
}

/** The numbers of a nested literal list: rows of a 2-D array, or one value per row. */
export function numberRows(value: Const): number[][] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  if (value.every((v) => typeof v === 'number')) return (value as number[]).map((v) => [v]);
  if (value.every((v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number'))) {
    const rows = value as number[][];
    return rows.every((r) => r.length === rows[0].length) ? rows : null;
  }
  return null;
}

/** The .seqmodel literal of a series or an input: a flat list for one feature per step. */
export function dslRows(rows: number[][]): string {
  if (rows.every((r) => r.length === 1)) return `[${rows.map((r) => dslNumber(r[0])).join(', ')}]`;
  return `[${rows.map((r) => `[${r.map(dslNumber).join(', ')}]`).join(', ')}]`;
}
