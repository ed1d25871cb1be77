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

export const SHAPE_KNOWN = 1;
export const DECLARED_INPUT = 2;
export const STARTED = 4;
/** The line named wrapped layers too (Bidirectional(LSTM(...))): their names are not renamed in place. */
export const NESTED = 8;

/** Growable typed array of one kind. */
class Column<T extends Int32Array | Float64Array | Uint8Array> {
  size = 0;
  constructor(public data: T) {}

  push(v: number): void {
    if (this.size === this.data.length) {
      const bigger = new (this.data.constructor as { new (n: number): T })(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = v;
  }
}

export class WalkRecord {
  /** Per line: how many layers the model had after it. */
  readonly layersAfter = new Column(new Int32Array(16));
  /** Per line: the walk's running parameter count after it. */
  readonly countedAfter = new Column(new Float64Array(16));
  /** Per line: SHAPE_KNOWN, DECLARED_INPUT, STARTED, NESTED. */
  readonly flags = new Column(new Uint8Array(16));
  /** Per line: the shape after it. */
  readonly shapeAfter: (Shape | null)[] = [];
  /** Per line (and one past the last): where its automatic names, diagnostics and lookups start in the lists below. */
  readonly claimFrom = new Column(new Int32Array(16));
  readonly diagFrom = new Column(new Int32Array(16));
  readonly lookupFrom = new Column(new Int32Array(16));
  /** The stems of the automatic names taken (dense, lstm, ...), in order. */
  readonly claims: string[] = [];
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

  get lines(): number {
    return this.layersAfter.size;
  }

  /** Opens line `i`'s lists. */
  begin(): void {
    this.claimFrom.push(this.claims.length);
    this.diagFrom.push(this.diagnostics.length);
    this.lookupFrom.push(this.lookups.length);
  }

  /** Closes a line with the walk's state after it. */
  end(layers: number, counted: number, flags: number, shape: Shape | null): void {
    this.layersAfter.push(layers);
    this.countedAfter.push(counted);
    this.flags.push(flags);
    this.shapeAfter.push(shape);
  }

  /** Closes the lists after the last line. */
  finish(): void {
    this.begin();
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

/** The record of each model statement's last walk (the statement object is the analysis's). */
const RECORDS = new WeakMap<A.ModelStmt, WalkRecord>();

export function walkRecordOf(stmt: A.ModelStmt): WalkRecord | undefined {
  return RECORDS.get(stmt);
}

export function keepWalkRecord(stmt: A.ModelStmt, record: WalkRecord): void {
  RECORDS.set(stmt, record);
}
