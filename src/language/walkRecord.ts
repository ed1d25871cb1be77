import { appendRange, grown, sliceWithRoom } from './grow';
import { arrayFor, giveBack } from './spareArrays';
import type * as A from './ast';
import type { Diagnostic } from './diagnostics';
import type { Shape } from './model';
import type { ModelAnalysis } from './modelAnalysis';

// What the walk over a model's layers (modelAnalysis.ts) did at each line, kept so that the
// analysis after an edit inside the model (incremental.ts) can take over the lines the edit
// did not touch instead of analysing 100,000 layers again: the walk's state after each line
// (shape, whether it is known, whether an input was declared or a layer seen, the parameters
// so far), the layers it produced, the automatic names it took, the diagnostics it reported
// and the constants it looked up. Typed arrays and flat lists: a model of 100,000 layers
// keeps about 40 bytes a line here.

/** Models shorter than this are walked again after an edit (a few microseconds a line): their records are not kept. */
export const MIN_RECORDED_LINES = 32;

export const SHAPE_KNOWN = 1;
export const DECLARED_INPUT = 2;
export const STARTED = 4;
/** The line named wrapped layers too (Bidirectional(LSTM(...))): their names are not renamed in place. */
export const NESTED = 8;
/** The line is a layer whose arguments were bound (not an input line, an unknown layer, a cell or junk). */
export const BOUND = 16;
/** The line's layer has layers or cells written inside it. */
export const NESTED_CALLS = 32;

/**
 * A column of numbers, one per line: a typed array made at the model's size for a long model
 * (copied in bulk when an edit takes lines over), a plain array for a short one (a file of
 * 36,000 small models made 216,000 typed arrays, 40 MB kept and much time allocating them).
 * 32-bit integers but for the parameter counts (`wide`, up to 2^53): a record of 100,000 lines
 * kept 5.6 MB of columns, 3.2 MB so, and a walk keeps up to three records (MAX_EARLIER).
 */
class Column {
  size = 0;
  data: Float64Array | Int32Array | number[];

  constructor(capacity: number, wide = false) {
    if (capacity < MIN_RECORDED_LINES) this.data = [];
    else {
      // A column a walk no longer read gave back, when there is one (WalkRecord.release, spareArrays.ts): zeroed, as a new one is.
      this.data = wide ? arrayFor(Float64Array, capacity).fill(0) : arrayFor(Int32Array, capacity).fill(0);
    }
  }

  push(v: number): void {
    const data = this.data;
    if (Array.isArray(data)) data.push(v);
    else {
      if (this.size === data.length) this.grow(this.size + 1);
      this.data[this.size] = v;
    }
    this.size++;
  }

  /** Appends `from`'s values [start, end), each plus `base`. */
  append(from: Float64Array | Int32Array | number[], start: number, end: number, base: number): void {
    const n = end - start;
    if (Array.isArray(this.data)) {
      for (let j = start; j < end; j++) this.data.push(from[j] + base);
    } else {
      if (this.size + n > this.data.length) this.grow(this.size + n);
      const data = this.data;
      if (base === 0 && !Array.isArray(from)) data.set(from.subarray(start, end), this.size);
      else for (let j = 0; j < n; j++) data[this.size + j] = from[start + j] + base;
    }
    this.size += n;
  }

  /** Appends n values: first, first + step, first + 2 × step, ... (integers, so exact while they are safe). */
  sequence(first: number, step: number, n: number): void {
    const data = this.data;
    if (Array.isArray(data)) {
      for (let j = 0; j < n; j++) data.push(first + j * step);
    } else {
      if (this.size + n > data.length) this.grow(this.size + n);
      const to = this.data as Float64Array | Int32Array;
      // Most of a run's columns hold one value over it (its diagnostics' and lookups' starts, its flags): filled natively.
      if (step === 0) to.fill(first, this.size, this.size + n);
      else for (let j = 0; j < n; j++) to[this.size + j] = first + j * step;
    }
    this.size += n;
  }

  private grow(least: number): void {
    this.data = grown(this.data as Float64Array | Int32Array, Math.max(least, this.data.length * 2), this.size);
  }
}

/**
 * The per-line lists of a record that keeps none (see WalkRecord's constructor), shared: its
 * methods write none of them. Frozen where they can be, so a write that slipped through throws.
 */
const UNRECORDED = new Column(0);
Object.freeze(UNRECORDED.data);
const UNRECORDED_LIST = Object.freeze([]) as unknown as never[];

export class WalkRecord {
  /** Per line: how many layers the model had after it. */
  readonly layersAfter: Column;
  /** Per line: the walk's running parameter count after it. */
  readonly countedAfter: Column;
  /** Per line: SHAPE_KNOWN, DECLARED_INPUT, STARTED, NESTED. */
  readonly flags: Column;
  /** Per line: the shape after it. */
  shapeAfter: (Shape | null)[];
  /**
   * Per BOUND line: how many of its diagnostics come before its shape is looked at (binding its
   * arguments, first-layer and Embedding checks): all it reports once a line before it has
   * made the shapes unknown.
   */
  readonly bindDiags: Column;
  /** Per line (and one past the last): where its automatic names, diagnostics and lookups start in the lists below. */
  readonly claimFrom: Column;
  readonly diagFrom: Column;
  readonly lookupFrom: Column;
  /** The stems of the automatic names taken (dense, lstm, ...), in order. */
  claims: string[];
  readonly diagnostics: Diagnostic[] = [];
  /** The names of constants looked up, in order (each lookup records a reference). */
  readonly lookups: A.Ident[] = [];
  /** The line that set the model's input shape, and the one that lacks it; -1 for none. */
  inputSetAt = -1;
  missingInputAt = -1;
  /** A layer was given its own name (name="..."): names are then checked across the model, not replayed. */
  givenNames = false;
  /** The parameter count passed 2^53 somewhere. */
  overflow = false;
  /** False once more diagnostics were reported than a record keeps: then it is not reused. */
  complete = true;
  /** The walk's result. */
  result?: ModelAnalysis;
  /** Earlier walks of this record's last lines in other states, newest first, to take over when the walk returns to one (see Earlier). */
  earlier: Earlier[] = [];

  /** How many lines the model has: the room its per-line lists are made with. */
  private readonly modelLines: number;

  /**
   * `lines`: how many lines the model has. `takesOver`: whether the walk takes lines over from an
   * earlier record (counting the names from its lists). What each line did is kept only by such
   * a walk and by a long model's, whose record is kept for the next edit; a short model keeps its
   * diagnostics and lookups alone (keepWalkRecord). Its eight per-line lists were half of what
   * the walk of a one-layer model allocated: a file of 45,000 small models allocated 425 MB per
   * analysis.
   */
  constructor(lines: number, takesOver = false) {
    this.modelLines = lines;
    if (!takesOver && lines < MIN_RECORDED_LINES) {
      this.layersAfter = this.countedAfter = this.flags = this.bindDiags = this.claimFrom = this.diagFrom = this.lookupFrom = UNRECORDED;
      this.claims = this.shapeAfter = UNRECORDED_LIST;
      return;
    }
    this.layersAfter = new Column(lines);
    this.countedAfter = new Column(lines, true);
    this.flags = new Column(lines);
    this.bindDiags = new Column(lines);
    this.claimFrom = new Column(lines + 1);
    this.diagFrom = new Column(lines + 1);
    this.lookupFrom = new Column(lines + 1);
    this.claims = [];
    this.shapeAfter = [];
  }

  /** Whether the record keeps what each line did (see the constructor). */
  get keepsLines(): boolean {
    return this.layersAfter !== UNRECORDED;
  }

  get lines(): number {
    return this.layersAfter.size;
  }

  /** Notes an automatic name taken on the line being walked, by its stem (dense, lstm, ...). */
  claim(stem: string): void {
    if (this.keepsLines) this.claims.push(stem);
  }

  /** Opens line `i`'s lists. */
  begin(): void {
    if (!this.keepsLines) return;
    this.claimFrom.push(this.claims.length);
    this.diagFrom.push(this.diagnostics.length);
    this.lookupFrom.push(this.lookups.length);
  }

  /** Closes a line with the walk's state after it. */
  end(layers: number, counted: number, flags: number, shape: Shape | null, bindDiags: number): void {
    if (!this.keepsLines) return;
    this.bindDiags.push(bindDiags);
    this.layersAfter.push(layers);
    this.countedAfter.push(counted);
    this.flags.push(flags);
    this.shapeAfter.push(shape);
  }

  /**
   * Appends n lines that each made one layer with automatic name stem `stem`, reported nothing
   * and looked nothing up, each adding `perLine` parameters, the walk's flags and shape after
   * each the same (a run of one line repeated on its own output, see modelAnalysis.ts):
   * `layers` and `counted` are the walk's before the first.
   */
  sameLines(n: number, stem: string, layers: number, counted: number, perLine: number, flags: number, shape: Shape | null): void {
    if (!this.keepsLines) return;
    this.claimFrom.sequence(this.claims.length, 1, n);
    this.diagFrom.sequence(this.diagnostics.length, 0, n);
    this.lookupFrom.sequence(this.lookups.length, 0, n);
    const claims = this.claims;
    const shapes = this.shapeAfter;
    for (let j = 0; j < n; j++) {
      claims.push(stem);
      shapes.push(shape);
    }
    this.bindDiags.sequence(0, 0, n);
    this.layersAfter.sequence(layers + 1, 1, n);
    this.countedAfter.sequence(counted + perLine, perLine, n);
    this.flags.sequence(flags, 0, n);
  }

  /**
   * Appends old lines [from, to) of `old` as they were, their layer counts and parameter totals
   * plus `layerBase` and `countBase`. The caller reports their diagnostics and looks their
   * constants up again.
   */
  copyLines(old: WalkRecord, from: number, to: number, layerBase: number, countBase: number): void {
    if (to <= from) return;
    const claims = this.claims.length - old.claimStart(from);
    const diags = this.diagnostics.length - old.diagStart(from);
    const lookups = this.lookups.length - old.lookupStart(from);
    this.claimFrom.append(old.claimFrom.data, from, to, claims);
    this.diagFrom.append(old.diagFrom.data, from, to, diags);
    this.lookupFrom.append(old.lookupFrom.data, from, to, lookups);
    // Whole runs at once, into lists made with room for the whole model (appended).
    this.claims = appended(this.claims, old.claims, old.claimStart(from), old.claimStart(to), this.modelLines);
    this.layersAfter.append(old.layersAfter.data, from, to, layerBase);
    this.countedAfter.append(old.countedAfter.data, from, to, countBase);
    this.flags.append(old.flags.data, from, to, 0);
    this.bindDiags.append(old.bindDiags.data, from, to, 0);
    this.shapeAfter = appended(this.shapeAfter, old.shapeAfter, from, to, this.modelLines);
  }

  /** Closes the lists after the last line. */
  finish(): void {
    this.begin();
  }

  /**
   * Gives this record's columns to the next walk (spareArrays.ts): called by the walk that took its
   * lines over, when nothing can read it again (the analysis it belonged to is spent, and the new
   * record does not keep it as an earlier walk). It then keeps no lines: a read past that would
   * find none (and the unit suite, which compares every analysis after an edit with a fresh one,
   * would see it).
   */
  release(): void {
    if (!this.keepsLines) return;
    const columns = [this.layersAfter, this.countedAfter, this.flags, this.bindDiags, this.claimFrom, this.diagFrom, this.lookupFrom];
    for (const c of columns) if (!Array.isArray(c.data)) giveBack(c.data);
    for (const c of columns) {
      c.data = UNRECORDED.data;
      c.size = 0;
    }
    this.claims = this.shapeAfter = UNRECORDED_LIST;
    this.earlier = [];
  }

  /** Where line i's automatic names, diagnostics and lookups start (i may be the line count: the end). */
  claimStart(i: number): number {
    return this.claimFrom.data[i];
  }
  diagStart(i: number): number {
    return this.diagFrom.data[i];
  }
  lookupStart(i: number): number {
    return this.lookupFrom.data[i];
  }
}

/**
 * `list` with `from`'s items [start, end) after it: the list itself, or a new one with room for
 * `expected` items in all when it is still empty (a walk's first replay: one copy, and none
 * again as the walk pushes its own lines' items).
 */
function appended<T>(list: T[], from: readonly T[], start: number, end: number, expected: number): T[] {
  return list.length === 0 ? sliceWithRoom(from, start, end, expected) : appendRange(list, from, start, end);
}

/** Earlier walks kept per model, each a whole walk of its lines with its layers: memory for two states back, not more. */
export const MAX_EARLIER = 2;

/**
 * An earlier walk of a model's last lines, kept through the edits that walked them in another
 * state. Typing a layer into a long model goes through keystrokes that are not a layer yet
 * (`D`, `Dropout(0`): the lines after it lose their shapes, and the next record has none to
 * take over; the keystroke that completes the layer (or one that undoes a change) brings back
 * the shapes of the walk before the typing began, which is kept here instead of walking
 * 50,000 layers again. Lines from `from` on are the same lines (the same tree nodes, moved)
 * as the earlier record's lines from `from + shift` on; their positions have moved by `delta`
 * since it was made (every edit in between was before them).
 */
export interface Earlier {
  record: WalkRecord;
  from: number;
  shift: number;
  delta: number;
}

/**
 * What a model's walk reported, whatever the model's length: a model the edit did not touch is
 * not walked again (its walk depends on its own lines and the constants, which an edit inside
 * another model's braces leaves alone); its result is taken, its problems reported again and
 * its constants looked up again (each lookup records a reference).
 */
export interface ModelMemo {
  result?: ModelAnalysis;
  /** Every problem the walk reported, in order; positions of the text last analysed. */
  diagnostics: Diagnostic[];
  lookups: A.Ident[];
  /** False when the walk reported more problems than are kept. */
  complete: boolean;
}

/**
 * The last walk of each model statement, kept on the statement object under a symbol, not
 * enumerable (a WeakMap of 38,000 models took a tenth of their analysis to fill): its full
 * record for a long model, a memo otherwise. It goes when the statement goes.
 */
const MEMO = Symbol('last walk');

const NONE: never[] = [];

export function memoOf(stmt: A.ModelStmt): ModelMemo | undefined {
  return (stmt as { [MEMO]?: ModelMemo })[MEMO];
}

/** The record of a long model's last walk, to take its lines over. */
export function walkRecordOf(stmt: A.ModelStmt): WalkRecord | undefined {
  const memo = memoOf(stmt);
  return memo instanceof WalkRecord ? memo : undefined;
}

function keep(stmt: A.ModelStmt, memo: ModelMemo): void {
  Object.defineProperty(stmt, MEMO, { value: memo, writable: true, configurable: true, enumerable: false });
}

export function keepWalkRecord(stmt: A.ModelStmt, record: WalkRecord): void {
  if (record.lines >= MIN_RECORDED_LINES) keep(stmt, record);
  else {
    // Short models (a file of 36,000 of them): what reuse needs, in one small object.
    const memo: ModelMemo = {
      result: record.result,
      diagnostics: record.diagnostics.length ? record.diagnostics : NONE,
      lookups: record.lookups.length ? record.lookups : NONE,
      complete: record.complete,
    };
    keep(stmt, memo);
  }
}
