import type * as A from './ast';
import { autoLayerName } from './autoNames';
import { bindArgs, type Bound } from './bind';
import { MAX_DIAGNOSTICS, type DiagnosticSink } from './diagnosticCollector';
import { diagnostic, type Diagnostic, type DiagnosticCode, type Fix, type Severity } from './diagnostics';
import type { Scope } from './evaluate';
import { formatShapes } from './formatting';
import { appendRange, sliceWithRoom } from './grow';
import { layersOf, lookupLayer, LAYERS, LAYER_ALIASES } from './layers/registry';
import type { ArgSpec, ArgType, InferContext, LayerSpec } from './layers/spec';
import type { ConfigValue, LayerInfo, ModelInfo, Shape, Span } from './model';
import { closest } from './suggest';
import { layerOfSame, sameShape, SameLines, type SameLine } from './sameLines';
import { shiftedDiagnostic } from './shift';
import { STEP_SIZE, type Steps } from './steps';
import { BOUND, DECLARED_INPUT, keepWalkRecord, type Earlier, MAX_EARLIER, memoOf, type ModelMemo, NESTED, NESTED_CALLS, SHAPE_KNOWN, STARTED, WalkRecord } from './walkRecord';

// Walks a model's layers in order, feeding each the previous output shape, exactly as Keras's
// Sequential does. A layer whose shape cannot be computed stops shape inference for the rest
// of the model (their arguments are still checked), so one error is reported once.

const INPUT_ARGS: ArgSpec[] = [
  { name: 'shape', type: { t: 'shape' }, positional: true, doc: 'Shape of one sample, without the batch: (steps, features).' },
  { name: 'batch_size', type: { t: 'int', min: 1, nullable: true }, default: null },
  { name: 'name', type: { t: 'string', nullable: true }, default: null },
  { name: 'dtype', type: { t: 'string', nullable: true }, default: null },
  { name: 'sparse', type: { t: 'bool' }, default: false },
  { name: 'batch_shape', type: { t: 'shape' } },
];

/** Arguments that declare the model's input: they only mean something on its first layer. */
const INPUT_SHAPE_ARGS = ['input_shape', 'batch_input_shape'] as const;
const FIRST_LAYER_ONLY = [...INPUT_SHAPE_ARGS, 'input_dim'] as const;

/** One dimension of `input(d1, d2, ...)`, bound one at a time. */
const DIMENSION_ARG: ArgSpec[] = [{ name: 'dimension', type: { t: 'shape' }, positional: true, required: true }];

export interface ModelAnalysis {
  info: ModelInfo;
  /** The call of each layer in info.layers, for fixes that edit them. */
  calls: A.Call[];
  /** Where the model would take an `input(...)` line, for the missing-input fix. */
  readonly inputInsertAt: number | null;
  /** The first layer's call, when it has no input shape. */
  missingInput: A.Call | null;
}

/**
 * A model's analysis. Where an `input(...)` line would go is read from the model's `{`, which
 * an edit before the model moves in place (shift.ts): always where the model now is, without
 * visiting every model after an edit (statementPass.ts).
 */
class Analysed implements ModelAnalysis {
  calls: A.Call[] = [];
  missingInput: A.Call | null = null;

  constructor(
    readonly info: ModelInfo,
    private readonly open: Span | null,
  ) {}

  get inputInsertAt(): number | null {
    return this.open ? this.open.end : null;
  }
}

export function isInputCall(expr: A.Expr): boolean {
  return expr.kind === 'call' && (expr.callee.name === 'input' || expr.callee.name === 'Input');
}

/**
 * What an analysis after an edit inside this model takes over from the one before (see
 * incremental.ts): lines [0, from) are the old lines, where they were; lines [tailAt, n) are
 * the old lines [oldTail, ...), their spans already moved by `delta` (old positions from
 * `boundary` on). The walk replays the first, analyses the rest until its state after a line
 * of the tail equals the old walk's after the same line, and takes the remaining lines' old
 * results from there.
 */
export interface ModelReuse {
  record: WalkRecord;
  from: number;
  tailAt: number;
  oldTail: number;
  boundary: number;
  delta: number;
}

/** One model's layers, shapes and counts, in steps of STEP_SIZE layers (see steps.ts). */
export function* analyzeModel(stmt: A.ModelStmt, scope: Scope, out: DiagnosticSink, text: string, reuse?: ModelReuse): Steps<ModelAnalysis> {
  const name = stmt.name?.name ?? '';
  const info: ModelInfo = {
    name,
    span: stmt.span,
    nameSpan: stmt.name?.span ?? stmt.span,
    inputShape: null,
    layers: [],
    outputShapes: [],
    params: { total: 0, trainable: 0, nonTrainable: 0 },
    valid: true,
  };
  const errorsBefore = out.errors;
  const result = new Analysed(info, stmt.open);
  const counters = new Map<string, number>();
  // A walk after an edit never sees a name given by hand (it throws NoReuse for one, and the
  // text is analysed afresh), so the automatic names need not be kept to check given ones
  // against: kept from the edit on (the lines before it are replayed), they made a sparse list
  // of 50,000 holes, a third of the walk of the lines after an edit that changed their shapes.
  const usedNames = new LayerNames(!reuse);
  let shape: Shape | null = null;
  let shapeKnown = true;
  let declaredInput = false;
  let layerIndex = 0;
  /** Parameters of the layers so far: the model's total must stay exact too. */
  let counted = 0;

  // Everything a line does that a later analysis may take over is written down as it happens.
  const record = new WalkRecord(stmt.layers.length, reuse !== undefined);
  const sink = new RecordingSink(out, record);
  const lookups = record.lookups;
  const recordingScope: Scope = {
    lookup(n, at) {
      lookups.push(at);
      return scope.lookup(n, at);
    },
  };
  let nested = false;
  let claimsOfLine = 0;
  /** Flags of the line being walked besides the state (BOUND, NESTED_CALLS), and its diagnostics before the shape is looked at. */
  let lineFlags = 0;
  let bindDiags = 0;
  const autoName = (spec: LayerSpec, given: ConfigValue | undefined): string => {
    if (typeof given === 'string') {
      record.givenNames = true;
      if (reuse) throw new NoReuse();
      return given;
    }
    if (claimsOfLine++ > 0) nested = true;
    record.claim(spec.autoName);
    const n = counters.get(spec.autoName) ?? 0;
    counters.set(spec.autoName, n + 1);
    return autoLayerName(spec.autoName, n);
  };
  /** The lines of this walk that reported nothing, to take again for the same text on an equal input (sameLines.ts). */
  const sameLines = new SameLines();
  /** The last line that made a layer of sameLines (made or taken there): its index, text and automatic-name stem, and what it made. */
  let pureAt = -1;
  let pureText = '';
  let pureStem = '';
  let pure: SameLine | undefined;
  const state = () => (shapeKnown ? SHAPE_KNOWN : 0) | (declaredInput ? DECLARED_INPUT : 0) | (layerIndex > 0 ? STARTED : 0) | (nested ? NESTED : 0) | lineFlags;

  let i = 0;
  /** Where the lines after the edit may be taken from: the walk before the edit, and an earlier walk of the same lines. */
  const sources = reuse ? tailSources(reuse, stmt.layers.length) : [];
  let takenFrom: TailSource | undefined;
  if (reuse) {
    const old = reuse.record;
    const from = reuse.from;
    const oldResult = old.result!;
    if (from > 0) {
      const f = old.flags.data[from - 1];
      shape = old.shapeAfter[from - 1];
      shapeKnown = (f & SHAPE_KNOWN) !== 0;
      declaredInput = (f & DECLARED_INPUT) !== 0;
      layerIndex = f & STARTED ? 1 : 0;
      counted = old.countedAfter.data[from - 1];
      const layers = old.layersAfter.data[from - 1];
      // With room for a layer a line: the walk's own layers are pushed after them.
      info.layers = sliceWithRoom(oldResult.info.layers, 0, layers, stmt.layers.length);
      result.calls = sliceWithRoom(oldResult.calls, 0, layers, stmt.layers.length);
      if (old.inputSetAt >= 0 && old.inputSetAt < from) info.inputShape = oldResult.info.inputShape;
      if (old.missingInputAt >= 0 && old.missingInputAt < from) result.missingInput = oldResult.missingInput;
      record.inputSetAt = old.inputSetAt < from ? old.inputSetAt : -1;
      record.missingInputAt = old.missingInputAt < from ? old.missingInputAt : -1;
      replay(old, 0, from, 0, 0, counters, record, sink, scope, (d) => d);
    }
    i = from;
  }

  for (; i < stmt.layers.length; i++) {
    if (i % STEP_SIZE === STEP_SIZE - 1) yield;
    if (sources.length > 0) {
      // An index loop: in a generator, for-of made an iterator per line.
      for (let s = 0; s < sources.length; s++) {
        const source = sources[s];
        if (standsWith(source, i) && takeTail(i, source)) {
          takenFrom = source;
          break;
        }
      }
      if (takenFrom) break;
      if (i > reuse!.tailAt && !shapeKnown && layerIndex > 0) {
        const next = unknownRun(i);
        if (next > i) {
          i = next - 1;
          continue;
        }
      }
    }
    if (pureAt === i - 1 && pure) {
      const next = sameRun(i, pure);
      if (next > i) {
        i = next - 1;
        continue;
      }
    }
    record.begin();
    nested = false;
    claimsOfLine = 0;
    lineFlags = 0;
    bindDiags = 0;
    if (!(reuse && i >= reuse.tailAt && !shapeKnown && unknownShape(i))) line(i);
    record.end(info.layers.length, counted, state(), shape, bindDiags);
  }
  record.finish();
  if (reuse) {
    // What the next edit may return to, unless its layers are this walk's now (taken over): the
    // walk before this edit if it knew the later lines' shapes (the state before a layer was
    // begun or a change made, what completing or undoing it brings back; after a change undone,
    // the changed state, to redo it), and the earlier walks kept so far, newest first, at most
    // MAX_EARLIER (typing a layer that changes the later shapes, then another: deleting both
    // goes back two states).
    const kept = sources.slice(1).flatMap((s) => (s === takenFrom || !s.earlier ? [] : [s.earlier]));
    const old = reuse.record;
    const knew = reuse.oldTail < old.lines && (old.flags.data[reuse.oldTail] & SHAPE_KNOWN) !== 0;
    const before: Earlier = { record: old, from: reuse.tailAt, shift: reuse.oldTail - reuse.tailAt, delta: reuse.delta };
    const keepBefore = takenFrom === sources[0] ? false : takenFrom ? knew : knew || kept.length === 0;
    record.earlier = (keepBefore ? [before, ...kept] : kept).slice(0, MAX_EARLIER);
    // A kept walk's own earlier walks are never taken (only this record's are): not kept alive through it.
    for (const e of record.earlier) if (e.record !== record) e.record.earlier = [];
    // The walk before the edit, unless kept above, is read by nothing now (the analysis it was
    // part of is spent): its columns make the next walk's instead of new ones.
    if (!record.earlier.some((e) => e.record === old)) old.release();
  }

  /** The walk over line i (stmt.layers[i]). */
  function line(i: number): void {
    const expr = stmt.layers[i];
    if (expr.kind === 'error') {
      shapeKnown = false;
      return;
    }
    if (expr.kind !== 'call') {
      const hint = expr.kind === 'ident' ? ` Write ${expr.name}(...) with its arguments.` : '';
      sink.push(diagnostic('syntax-error', 'error', expr.span, `Expected a layer such as LSTM(50), found ${text.slice(expr.span.start, expr.span.end)}.${hint}`));
      shapeKnown = false;
      return;
    }
    if (isInputCall(expr)) {
      const dims = bindInput(expr, recordingScope, sink);
      if (layerIndex > 0 || declaredInput) {
        sink.push(diagnostic('syntax-error', 'error', expr.callee.span, `${expr.callee.name}(...) declares the model's input and must be its first line.`));
        return;
      }
      declaredInput = true;
      if (dims) shape = [null, ...dims];
      else shapeKnown = false;
      info.inputShape = shape;
      record.inputSetAt = i;
      return;
    }

    const spec = lookupLayer(expr.callee.name);
    if (!spec) {
      reportUnknownLayer(expr.callee, sink);
      shapeKnown = false;
      return;
    }
    if (spec.category === 'cell') {
      reportCellOutsideRnn(expr, spec.name, sink);
      shapeKnown = false;
      return;
    }
    // A line like one already walked on an equal input (past the first layer, with one shape
    // before it, no name given in the model): the same layer. Otherwise, once walked, kept if it
    // reported nothing and looked nothing up.
    const lineText = layerIndex > 0 && shapeKnown && shape && !record.givenNames && info.layers[info.layers.length - 1].outputShapes.length === 1 ? text.slice(expr.span.start, expr.span.end) : undefined;
    if (lineText !== undefined) {
      const same = sameLines.find(lineText, shape!);
      if (same && Number.isSafeInteger(counted + same.params.total)) {
        sameLine(expr, spec, same);
        madePure(i, lineText, spec, same);
        return;
      }
    }
    const input = shape;
    const reportedBefore = sink.reported;
    const lookupsBefore = lookups.length;
    const diagsBefore = record.diagnostics.length;
    const bound = bindArgs(expr, spec.args, { what: spec.name, scope: recordingScope, out: sink });
    lineFlags = BOUND | (hasNestedCalls(bound) ? NESTED_CALLS : 0);
    const isFirst = layerIndex === 0;
    layerIndex++;

    if (isFirst && !declaredInput) {
      const fromArgs = inputFromArgs(spec, bound, sink);
      if (fromArgs) {
        shape = fromArgs;
        info.inputShape = shape;
        record.inputSetAt = i;
      } else if (fromArgs === undefined) {
        if (spec.category === 'embedding') {
          shape = [null, (bound.values.input_length as number | null | undefined) ?? null];
          info.inputShape = shape;
          record.inputSetAt = i;
        } else {
          result.missingInput = expr;
          record.missingInputAt = i;
          shapeKnown = false;
        }
      } else shapeKnown = false;
    } else if (!isFirst) {
      for (const a of FIRST_LAYER_ONLY) {
        if (bound.given.has(a)) {
          sink.push(diagnostic('invalid-argument', 'warning', bound.spans[a] ?? expr.span, `${a} only has an effect on the first layer of a model; here it is ignored.`));
        }
      }
    } else if (declaredInput) {
      for (const a of INPUT_SHAPE_ARGS) {
        if (bound.given.has(a)) {
          sink.push(diagnostic('invalid-argument', 'warning', bound.spans[a] ?? expr.span, `${a} is ignored: the model already declares its input on its first line.`));
        }
      }
    }

    if (spec.category === 'embedding' && !isFirst) {
      sink.push(
        diagnostic(
          'embedding-not-first',
          'error',
          expr.callee.span,
          'Embedding looks up integer word ids, so it must be the first layer of the model; here it would receive the previous layer\'s real-valued output.',
        ),
      );
      shapeKnown = false;
    }
    bindDiags = record.diagnostics.length - diagsBefore;

    const previous = info.layers[info.layers.length - 1] ?? null;
    if (previous && previous.outputShapes.length > 1 && shapeKnown) {
      sink.push(
        diagnostic(
          'multiple-outputs-not-last',
          'error',
          expr.callee.span,
          `${previous.name} has ${previous.outputShapes.length} outputs ${formatShapes(previous.outputShapes)} (${severalOutputsCause(previous).join(' and ')}), so no layer can follow it in a sequential model. ${capitalize(
            severalOutputsCause(previous)
              .map((c) => (c === 'merge_mode=None' ? `give ${previous.name} a merge_mode ("concat", "sum", "mul" or "ave")` : `remove return_state=True from ${previous.name}`))
              .join(' and '),
          )}, or make it the last layer.`,
        ),
      );
      shapeKnown = false;
    }

    const given = bound.values.name;
    const layerName = autoName(spec, given);
    const taken = typeof given === 'string' ? usedNames.claimGiven(given) : usedNames.claimAuto(spec.autoName, counters.get(spec.autoName)! - 1, layerName);
    if (taken) {
      sink.push(diagnostic('duplicate-name', 'error', bound.spans.name ?? expr.callee.span, `Model ${name} already has a layer named '${layerName}'; layer names must be unique.`));
    }

    if (!shapeKnown || !shape || !bound.ok) {
      shapeKnown = false;
      // Still analyse wrapped layers so their argument errors are reported.
      for (const c of nestedCalls(bound)) analyzeDetached(c, recordingScope, sink);
      return;
    }
    const layer = inferLayer(spec, expr, bound, shape, layerName, previous, result, recordingScope, sink, autoName);
    if (!layer) {
      shapeKnown = false;
      return;
    }
    if (!Number.isSafeInteger(counted + layer.params.total)) {
      record.overflow = true;
      sink.push(diagnostic('invalid-argument', 'error', expr.callee.span, `With ${layer.name}, model ${name} would have more than ${MAX_COUNT.toLocaleString('en-US')} (2^53 − 1) parameters, the most that can be counted exactly. Use fewer units or a smaller input.`));
      shapeKnown = false;
      return;
    }
    counted += layer.params.total;
    info.layers.push(layer);
    result.calls.push(expr);
    shape = layer.outputShapes[0];
    if (lineText !== undefined && sink.reported === reportedBefore && lookups.length === lookupsBefore && lineFlags === BOUND && !nested) {
      const kept = sameLines.add(lineText, input!, layer);
      if (kept) madePure(i, lineText, spec, kept);
    }
  }

  function madePure(i: number, lineText: string, spec: LayerSpec, same: SameLine): void {
    pureAt = i;
    pureText = lineText;
    pureStem = spec.autoName;
    pure = same;
  }

  /**
   * Lines i.. while each is the text of line i - 1 again, which made `same` of an input equal to
   * its output (100,000 `Dense(1)` on (None, 1)): each makes the same layer again on the same
   * input, but for its name and span, and the walk's state after it is the same but for the
   * counts. One loop that makes only the layers (their names numbered on), and the record's
   * columns written as runs: walked one line at a time, 50,000 such lines after an edit that
   * changed their shapes cost 2-3 µs each, spread over the line's checks, its text sliced and
   * looked up, its name and the record's pushes. The run stops before a line where a kept walk
   * stands as this one (the main loop takes its tail over), before the next yield, and where
   * the count would pass 2^53. Returns the line after the run.
   */
  function sameRun(i: number, same: SameLine): number {
    const outputs = same.outputShapes;
    if (!shapeKnown || record.givenNames || outputs.length !== 1 || !sameShape(outputs[0], same.input) || !sameShape(shape, same.input)) return i;
    const end = Math.min(stmt.layers.length, i + STEP_SIZE - 1 - (i % STEP_SIZE));
    const length = pureText.length;
    const perLine = same.params.total;
    const stem = pureStem;
    const input = shape!;
    const layersBefore = info.layers.length;
    const countedBefore = counted;
    let n = counters.get(stem) ?? 0;
    const first = n;
    // Locals, not the walk's variables (a generator's closure context): this loop is all a line costs.
    const lines = stmt.layers;
    const layers = info.layers;
    const calls = result.calls;
    // A kept walk that stands where this one does before line j: the main loop tries to take its tail over there.
    const fits = sources.length > 0;
    let total = counted;
    let j = i;
    for (; j < end; j++) {
      const expr = lines[j];
      if (expr.kind !== 'call' || expr.span.end - expr.span.start !== length || !text.startsWith(pureText, expr.span.start)) break;
      if (!Number.isSafeInteger(total + perLine)) break;
      if (fits && anySourceStands(j)) break;
      layers.push(layerOfSame(same, autoLayerName(stem, n), input, expr.span));
      calls.push(expr);
      total += perLine;
      n++;
    }
    counted = total;
    if (j === i) return i;
    counters.set(stem, n);
    usedNames.claimAutos(stem, first, n);
    layerIndex += j - i;
    record.sameLines(j - i, stem, layersBefore, countedBefore, perLine, SHAPE_KNOWN | (declaredInput ? DECLARED_INPUT : 0) | STARTED | BOUND, input);
    pureAt = j - 1;
    return j;
  }

  /** Whether any kept walk stands where this one does before line j (sameRun: the shape, `input`, stays as it is over the run). */
  function anySourceStands(j: number): boolean {
    for (let s = 0; s < sources.length; s++) if (standsWith(sources[s], j)) return true;
    return false;
  }

  /** Line `expr` made the layer a line of the same text made on an equal input: the same, but for its name and span. */
  function sameLine(expr: A.Call, spec: LayerSpec, same: SameLine): void {
    lineFlags = BOUND;
    layerIndex++;
    const layerName = autoName(spec, undefined);
    usedNames.claimAuto(spec.autoName, counters.get(spec.autoName)! - 1, layerName);
    const layer = layerOfSame(same, layerName, shape!, expr.span);
    counted += layer.params.total;
    info.layers.push(layer);
    result.calls.push(expr);
    shape = layer.outputShapes[0];
  }

  /**
   * New line i of the tail once the shapes are unknown (they stay so to the model's end): what
   * it reports then does not depend on the lines before it, so the old line's record gives it,
   * moved. Returns false for the lines that need walking (an input line, the first layer, a
   * layer with layers inside it).
   */
  function unknownShape(i: number): boolean {
    const r = reuse!;
    const old = r.record;
    const k = i - r.tailAt + r.oldTail;
    const f = old.flags.data[k];
    const bound = (f & BOUND) !== 0;
    if (isInputCall(stmt.layers[i]) || (bound && ((f & NESTED_CALLS) !== 0 || layerIndex === 0))) return false;
    const reported = unknownLine(old, k, bound);
    if (bound) {
      // Its one automatic name (nothing is inside it), and it counts as a layer seen.
      const stem = old.claims[old.claimStart(k)];
      record.claims.push(stem);
      counters.set(stem, (counters.get(stem) ?? 0) + 1);
      layerIndex++;
      lineFlags = BOUND;
      bindDiags = reported;
    }
    return true;
  }

  /** What old line k reports without shapes, reported again (a bound line the problems of its arguments, another all of its own), its constants looked up again; returns how many problems. */
  function unknownLine(old: WalkRecord, k: number, bound: boolean): number {
    const r = reuse!;
    const from = old.diagStart(k);
    const to = bound ? from + old.bindDiags.data[k] : old.diagStart(k + 1);
    for (let d = from; d < to; d++) sink.push(shiftedDiagnostic(old.diagnostics[d], r.boundary, r.delta));
    for (let l = old.lookupStart(k); l < old.lookupStart(k + 1); l++) {
      const at = old.lookups[l];
      lookups.push(at);
      scope.lookup(at.name, at);
    }
    return to - from;
  }

  /** Whether the walk stands where `old` stood after its line k - 1: its state and shape (checked before each line, so small). */
  function standsAsBefore(old: WalkRecord, k: number): boolean {
    const f = old.flags.data[k - 1];
    if (((f & SHAPE_KNOWN) !== 0) !== shapeKnown || ((f & DECLARED_INPUT) !== 0) !== declaredInput || ((f & STARTED) !== 0) !== layerIndex > 0) return false;
    return !shapeKnown || sameShape(shape, old.shapeAfter[k - 1]);
  }

  /** Whether before line i the kept walk `source` stands where this one does: its tail may be taken over from there (takeTail). */
  function standsWith(source: TailSource, i: number): boolean {
    return source.open && i > source.from && standsAsBefore(source.record, i + source.shift);
  }

  /**
   * New lines i.. of the tail while the shapes are unknown and a layer was seen, as unknownShape
   * takes them one at a time, in one loop (the first keystroke of a layer typed into a model of
   * 100,000 lines leaves 50,000 lines after it without shapes): until a line that needs walking
   * (an input line, a layer with layers inside it). Returns the line after the run.
   */
  function unknownRun(i: number): number {
    const r = reuse!;
    const old = r.record;
    const shift = r.oldTail - r.tailAt;
    const oldFlags = old.flags.data;
    const state = (declaredInput ? DECLARED_INPUT : 0) | STARTED;
    const layers = info.layers.length;
    const claimsFrom = record.claims.length;
    let j = i;
    for (; j < stmt.layers.length; j++) {
      const k = j + shift;
      const f = oldFlags[k];
      if ((f & NESTED_CALLS) !== 0 || isInputCall(stmt.layers[j])) break;
      const bound = (f & BOUND) !== 0;
      record.begin();
      const reported = unknownLine(old, k, bound);
      if (bound) record.claims.push(old.claims[old.claimStart(k)]);
      record.end(layers, counted, state | (bound ? BOUND : 0), shape, bound ? reported : 0);
    }
    countClaims(record.claims, claimsFrom, record.claims.length, counters);
    return j;
  }

  /**
   * Before new line i of the tail, the walk after line i - 1 standing where the source's walk
   * stood after the same line (standsAsBefore): its results of the remaining lines are the new
   * ones (moved, and renamed when lines before them took more or fewer automatic names) if the
   * layer before reads the same. Returns whether it took them.
   */
  function takeTail(i: number, source: TailSource): boolean {
    const old = source.record;
    const k = i + source.shift;
    const oldResult = old.result!;
    const oldLayers = old.layersAfter.data[k - 1];
    if (shapeKnown) {
      const mine = info.layers[info.layers.length - 1];
      const theirs = oldResult.info.layers[oldLayers - 1];
      if (mine !== theirs) {
        // The next line reads the layer before it: its kind, arguments, outputs and call (for
        // fixes). Its name (in messages) is the old one when no stem moved, and with moved
        // stems the tail is taken only if it reports nothing.
        if (!mine || !theirs || result.calls[result.calls.length - 1] !== oldResult.calls[oldLayers - 1]) return false;
        if (mine.type !== theirs.type || !sameValue(mine.config, theirs.config) || mine.outputShapes.length !== theirs.outputShapes.length) return false;
        if (!mine.outputShapes.every((s, j) => sameShape(s, theirs.outputShapes[j]))) return false;
      }
    }
    // Automatic names: how many more (or fewer) of each stem the new lines took.
    const oldCounts = new Map<string, number>();
    countClaims(old.claims, 0, old.claimStart(k), oldCounts);
    const offsets = new Map<string, number>();
    for (const stem of new Set([...oldCounts.keys(), ...counters.keys()])) {
      const d = (counters.get(stem) ?? 0) - (oldCounts.get(stem) ?? 0);
      if (d !== 0) offsets.set(stem, d);
    }
    const oldLines = old.lines;
    if (offsets.size > 0) {
      // Renamed in place only when a line names one layer and reports nothing (a message may name a layer).
      if (old.diagStart(oldLines) !== old.diagStart(k)) {
        source.open = false;
        return false;
      }
      for (let j = k; j < oldLines; j++) {
        if (old.flags.data[j] & NESTED) {
          source.open = false;
          return false;
        }
      }
    }
    const tailCount = old.countedAfter.data[oldLines - 1] - (k > 0 ? old.countedAfter.data[k - 1] : 0);
    if (old.overflow || !Number.isSafeInteger(counted + tailCount)) {
      source.open = false;
      return false;
    }
    // Taken: the old lines k.. as lines i.., their layers renamed where the stems moved.
    const running = new Map<string, number>();
    for (const [stem, n] of oldCounts) if (offsets.has(stem)) running.set(stem, n);
    const layerBase = info.layers.length - oldLayers;
    const countBase = counted - (k > 0 ? old.countedAfter.data[k - 1] : 0);
    for (let j = k; offsets.size > 0 && j < oldLines; j++) {
      const before = j > 0 ? old.layersAfter.data[j - 1] : 0;
      const after = old.layersAfter.data[j];
      for (let c = old.claimStart(j); c < old.claimStart(j + 1); c++) {
        const stem = old.claims[c];
        const offset = offsets.get(stem);
        if (offset === undefined) continue;
        const n = running.get(stem) ?? 0;
        running.set(stem, n + 1);
        // A line without nested names takes at most one: its layer's, if it made one.
        if (after > before) {
          const index = n + offset;
          oldResult.info.layers[before].name = autoLayerName(stem, index);
        }
      }
    }
    const lastLayers = old.layersAfter.data[oldLines - 1];
    info.layers = appendRange(info.layers, oldResult.info.layers, oldLayers, lastLayers);
    result.calls = appendRange(result.calls, oldResult.calls, oldLayers, lastLayers);
    if (old.inputSetAt >= k) {
      info.inputShape = oldResult.info.inputShape;
      record.inputSetAt = old.inputSetAt - k + i;
    }
    if (old.missingInputAt >= k) {
      result.missingInput = oldResult.missingInput;
      record.missingInputAt = old.missingInputAt - k + i;
    }
    replay(old, k, oldLines, layerBase, countBase, counters, record, sink, scope, source.map);
    shapeKnown = (old.flags.data[oldLines - 1] & SHAPE_KNOWN) !== 0;
    counted += tailCount;
    return true;
  }

  if (!stmt.layers.some((l) => !isInputCall(l)) && stmt.name && stmt.close) {
    sink.push(diagnostic('syntax-error', 'warning', stmt.name.span, `Model ${name} has no layers yet: add one per line, e.g. LSTM(50).`));
  }

  for (const l of info.layers) {
    info.params.total += l.params.total;
    info.params.trainable += l.params.trainable;
    info.params.nonTrainable += l.params.nonTrainable;
  }
  const last = info.layers[info.layers.length - 1];
  info.outputShapes = last ? last.outputShapes : info.inputShape ? [info.inputShape] : [];
  info.valid = shapeKnown && out.errors === errorsBefore && info.layers.length > 0;
  record.result = result;
  keepWalkRecord(stmt, record);
  return result;
}

/** A walk whose results the walk after an edit may take over from new line `from` + 1 on: new line i is its line i + shift. */
interface TailSource {
  record: WalkRecord;
  from: number;
  shift: number;
  /** Its diagnostics where they now are. */
  map: (d: Diagnostic) => Diagnostic;
  /** False once it is found unfit (a renamed tail that reports problems). */
  open: boolean;
  /** For an earlier walk: where it stands in the new walk's lines. */
  earlier?: Earlier;
}

/** The walk before the edit, and the earlier walk it kept (in the new walk's lines), when it is still fit to take over. */
function tailSources(reuse: ModelReuse, lines: number): TailSource[] {
  const shift = reuse.oldTail - reuse.tailAt;
  const sources: TailSource[] = [{ record: reuse.record, from: reuse.tailAt, shift, map: (d) => shiftedDiagnostic(d, reuse.boundary, reuse.delta), open: true }];
  for (const kept of reuse.record.earlier) {
    // Its lines from the old walk's `from` on, as far as they are lines after this edit.
    const earlier: Earlier = { record: kept.record, from: Math.max(reuse.tailAt, kept.from - shift), shift: kept.shift + shift, delta: kept.delta + reuse.delta };
    const r = earlier.record;
    // It ends where the model does (the same lines): a check on the bookkeeping above.
    if (earlier.from < lines && r.lines === lines + earlier.shift && r.complete && r.result && !r.overflow) {
      // Every position in its lines has moved by every edit since (all were before them).
      sources.push({ record: r, from: earlier.from, shift: earlier.shift, map: (d) => shiftedDiagnostic(d, 0, earlier.delta), open: true, earlier });
    }
  }
  return sources;
}

/**
 * The analysis of a model the edit did not touch, from its last walk (see ModelMemo), or null
 * when there is none fit to take: its problems reported again (moved when they lie at or after
 * `boundary`, by `delta`) and its constants looked up again. Not when the constants may have
 * changed and the model names any.
 */
export function reuseModel(stmt: A.ModelStmt, scope: Scope, out: DiagnosticSink, boundary: number, delta: number, constantsChanged: boolean): ModelAnalysis | null {
  const memo = memoOf(stmt);
  // A model that names something (a constant, or a word that may have become one) reads the constants.
  if (!memo || !memo.complete || !memo.result || (constantsChanged && memo.lookups.length > 0)) return null;
  followEdit(stmt, boundary, delta, memo);
  const { diagnostics } = memo;
  for (let d = 0; d < diagnostics.length; d++) out.push(diagnostics[d]);
  for (const at of memo.lookups) scope.lookup(at.name, at);
  return memo.result;
}

/**
 * Keeps a model's last walk's problems where they now are after an edit (old positions from
 * `boundary` on moved by `delta`), for the next edit to report: those in the model move with
 * it, and a problem found in a constant's tuple lies at the constant, which may move while the
 * model does not. Also for the models an analysis after an edit does not visit (statementPass.ts).
 */
export function followEdit(stmt: A.ModelStmt, boundary: number, delta: number, memo: ModelMemo | undefined = memoOf(stmt)): void {
  if (!memo) return;
  // Its earlier walk no longer follows the text once it moves (and the user has moved elsewhere).
  if (memo instanceof WalkRecord) memo.earlier = [];
  if (delta === 0) return;
  const { diagnostics } = memo;
  for (let d = 0; d < diagnostics.length; d++) if (reaches(diagnostics[d], boundary)) diagnostics[d] = shiftedDiagnostic(diagnostics[d], boundary, delta);
}

/** Whether a diagnostic has a position at or after `at` (its fixes' included). */
function reaches(d: Diagnostic, at: number): boolean {
  return d.span.end >= at || (d.fixes?.some((f) => f.edits.some((e) => e.span.end >= at)) ?? false);
}

/** Whether a model's last walk reported problems or keeps a record (which followEdit must keep up with an edit). */
export function followsEdits(stmt: A.ModelStmt): boolean {
  const memo = memoOf(stmt);
  return memo !== undefined && (memo.diagnostics.length > 0 || memo instanceof WalkRecord);
}

/** Thrown when an edit needs what the walk does not take over (a layer's own name): the caller analyses the whole text again. */
export class NoReuse extends Error {
  constructor() {
    super('The edit needs a full analysis.');
  }
}

/**
 * Takes over old lines [from, to) into the new record (their layer counts and parameter totals
 * based on the new walk's), reports their diagnostics again (as `map` makes them), looks their
 * constants up again (each lookup records a reference) and counts their automatic names.
 */
function replay(
  old: WalkRecord,
  from: number,
  to: number,
  layerBase: number,
  countBase: number,
  counters: Map<string, number>,
  record: WalkRecord,
  sink: RecordingSink,
  scope: Scope,
  map: (d: Diagnostic) => Diagnostic,
): void {
  // Before the diagnostics and lookups: copyLines reads where the new record's lists stand.
  record.copyLines(old, from, to, layerBase, countBase);
  for (let d = old.diagStart(from); d < old.diagStart(to); d++) sink.push(map(old.diagnostics[d]));
  for (let l = old.lookupStart(from); l < old.lookupStart(to); l++) {
    const at = old.lookups[l];
    record.lookups.push(at);
    scope.lookup(at.name, at);
  }
  countClaims(old.claims, old.claimStart(from), old.claimStart(to), counters);
}

/** Adds the automatic names [from, to) of a list to per-stem counts (a long model repeats one stem: counted by runs). */
function countClaims(claims: string[], from: number, to: number, counts: Map<string, number>): void {
  let c = from;
  while (c < to) {
    const stem = claims[c];
    let end = c + 1;
    while (end < to && claims[end] === stem) end++;
    counts.set(stem, (counts.get(stem) ?? 0) + end - c);
    c = end;
  }
}

/** Diagnostics a walk record keeps at most: past them (a model of 100,000 broken layers) the record is not reused, and messages are built only if listed. */
const MAX_RECORDED = 2 * MAX_DIAGNOSTICS;

/** Forwards diagnostics to the document's collector and keeps them for the walk record. */
class RecordingSink implements DiagnosticSink {
  constructor(
    private readonly out: DiagnosticSink,
    private readonly record: WalkRecord,
  ) {}

  /** How many diagnostics were reported through it (listed or only counted). */
  reported = 0;

  push(d: Diagnostic): void {
    this.reported++;
    if (this.record.complete) {
      this.record.diagnostics.push(d);
      if (this.record.diagnostics.length > MAX_RECORDED) this.record.complete = false;
    }
    this.out.push(d);
  }

  report(severity: Severity, span: Span, build: () => Diagnostic): void {
    if (this.record.complete) this.push(build());
    else {
      this.reported++;
      this.out.report(severity, span, build);
    }
  }

  get errors(): number {
    return this.out.errors;
  }
}

/** Deep equality of configuration values (numbers, strings, booleans, null, lists, objects). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const key of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * The names of a model's layers, to find one used twice. Automatic names (dense, dense_1, ...)
 * never repeat among themselves, so only given names are kept as strings and an automatic one
 * as its counter: hashing 100,000 fresh "dense_N" strings was a tenth of a long model's analysis.
 */
class LayerNames {
  /** `keepAutos`: whether automatic names are kept (a name given later is checked against them). */
  constructor(private readonly keepAutos: boolean) {}

  // Both made at their first name: most models are a few layers, and a file of 45,000 of them
  // made 90,000 empty collections per analysis.
  private given: Set<string> | undefined;
  /** Per automatic-name stem, which of its counters name a layer of the model (not a wrapped one). */
  private autos: Map<string, boolean[]> | undefined;

  /** Records a given name; true when a layer already has it. */
  claimGiven(name: string): boolean {
    const given = (this.given ??= new Set());
    const taken = given.has(name) || this.isAuto(name);
    given.add(name);
    return taken;
  }

  /** Records automatic names [from, to) of `stem`, which no name given so far took (a run of equal lines). */
  claimAutos(stem: string, from: number, to: number): void {
    if (!this.keepAutos) return;
    const used = this.usedOf(stem);
    for (let n = from; n < to; n++) used[n] = true;
  }

  /** Records automatic name number `index` of `stem` (`name`); true when a given name took it first. */
  claimAuto(stem: string, index: number, name: string): boolean {
    if (!this.keepAutos) return false;
    this.usedOf(stem)[index] = true;
    return this.given !== undefined && this.given.has(name);
  }

  private usedOf(stem: string): boolean[] {
    const autos = (this.autos ??= new Map());
    let used = autos.get(stem);
    if (!used) autos.set(stem, (used = []));
    return used;
  }

  /** Whether a name is the automatic name of an earlier layer: `stem` is number 0, `stem_N` number N. */
  private isAuto(name: string): boolean {
    const autos = this.autos;
    if (!autos) return false;
    if (autos.get(name)?.[0]) return true;
    const m = /^(.+)_([1-9]\d*)$/.exec(name);
    return !!m && !!autos.get(m[1])?.[Number(m[2])];
  }
}

/** The largest parameter count or dimension the engine states: past it a double is no longer exact. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why a layer has several outputs: its own return_state, or a Bidirectional's merge_mode=None (and its inner layer's return_state). */
function severalOutputsCause(layer: LayerInfo): string[] {
  const inner = layer.config.layer;
  const innerState = !!inner && typeof inner === 'object' && !Array.isArray(inner) && (inner.config as Record<string, ConfigValue>).return_state === true;
  const causes: string[] = [];
  if (layer.type === 'Bidirectional' && layer.config.merge_mode === null) causes.push('merge_mode=None');
  if (layer.config.return_state === true || innerState) causes.push('return_state=True');
  return causes.length ? causes : ['return_state=True'];
}

/** A cell is one step, not a layer: offer to wrap it in RNN(...), as Keras needs. */
function reportCellOutsideRnn(call: A.Call, name: string, out: DiagnosticSink): void {
  const fixes: Fix[] | undefined = call.closed
    ? [{ title: `Wrap in RNN(${name}(...))`, edits: [{ span: { start: call.span.start, end: call.span.start }, newText: 'RNN(' }, { span: { start: call.span.end, end: call.span.end }, newText: ')' }], preferred: true }]
    : undefined;
  out.push(diagnostic('cell-outside-rnn', 'error', call.callee.span, `${name} is a recurrent cell (one step), not a layer: run it over the sequence with RNN(${name}(...)).`, fixes));
}

function reportUnknownLayer(callee: A.Ident, out: DiagnosticSink): void {
  const candidates = [...LAYERS.keys(), ...LAYER_ALIASES.keys()];
  const guess = closest(callee.name, candidates);
  const target = guess ? (LAYER_ALIASES.get(guess) ?? guess) : undefined;
  out.push(
    diagnostic(
      'unknown-layer',
      'error',
      callee.span,
      `Unknown layer '${callee.name}'.` + (target ? ` Did you mean ${target}?` : ` Known layers: ${[...LAYERS.keys()].join(', ')}.`),
      target ? [{ title: `Change to ${target}`, edits: [{ span: callee.span, newText: target }], preferred: true }] : undefined,
    ),
  );
}

function bindInput(call: A.Call, scope: Scope, out: DiagnosticSink): (number | null)[] | null {
  if (call.callee.name === 'input') {
    // input(steps, features): the dimensions themselves, the lightest way to write it.
    const dims: (number | null)[] = [];
    let ok = true;
    if (call.args.length === 0) {
      out.push(diagnostic('missing-argument', 'error', call.span, 'input(...) needs the shape of one sample, e.g. input(3, 1) for 3 steps of 1 feature.'));
      return null;
    }
    for (const arg of call.args) {
      if (arg.name) {
        out.push(diagnostic('unknown-argument', 'error', arg.name.span, `input(...) takes only dimensions, e.g. input(3, 1); for keyword arguments use Input(shape=(3, 1)).`));
        ok = false;
        continue;
      }
      const bound = bindArgs({ ...call, args: [arg] }, DIMENSION_ARG, { what: 'input', scope, out });
      const v = bound.values.dimension as (number | null)[] | undefined;
      if (!bound.ok || !v) ok = false;
      else if (v.length !== 1) {
        out.push(diagnostic('invalid-argument', 'error', arg.span, 'Each argument of input(...) is one dimension: write input(3, 1), not input((3, 1)).'));
        ok = false;
      } else dims.push(v[0]);
    }
    return ok ? dims : null;
  }
  const bound = bindArgs(call, INPUT_ARGS, { what: 'Input', scope, out });
  if (!bound.ok) return null;
  const shape = bound.values.shape as (number | null)[] | undefined;
  const batchShape = bound.values.batch_shape as (number | null)[] | undefined;
  if (shape) return shape;
  if (batchShape) return batchShape.slice(1);
  out.push(diagnostic('missing-argument', 'error', call.callee.span, 'Input needs shape=(steps, features).'));
  return null;
}

/**
 * The input shape a first layer declares: a Shape, undefined when it declares none, or null
 * when its declaration is invalid (already reported).
 */
function inputFromArgs(spec: LayerSpec, bound: Bound, out: DiagnosticSink): Shape | null | undefined {
  const v = bound.values;
  if (bound.given.has('input_shape')) return v.input_shape ? [null, ...(v.input_shape as (number | null)[])] : null;
  if (bound.given.has('batch_input_shape')) {
    const b = v.batch_input_shape as (number | null)[] | undefined;
    if (!b) return null;
    if (b.length < 2) {
      out.push(diagnostic('invalid-argument', 'error', bound.spans.batch_input_shape, 'batch_input_shape starts with the batch size: (batch, steps, features).'));
      return null;
    }
    return [null, ...b.slice(1)];
  }
  if (bound.given.has('input_dim') && spec.category !== 'embedding') {
    const dim = v.input_dim as number | undefined;
    if (dim === undefined) return null;
    if (spec.category === 'recurrent') return [null, (v.input_length as number | null | undefined) ?? null, dim];
    return [null, dim];
  }
  return undefined;
}

/** How a layer names itself: the given name, else Keras's automatic one (dense, dense_1, ...). */
type AutoName = (spec: LayerSpec, given: ConfigValue | undefined) => string;

/**
 * What a layer's `infer` sees. A class, not an object literal of closures: a model of 100,000
 * layers made eight closures per layer, a good part of what its analysis allocated.
 */
class LayerContext implements InferContext {
  /** The configs of nested layers, by argument (Bidirectional's layer, RNN's cell, StackedRNNCells's cells); null until one is analysed. */
  nested: Record<string, ConfigValue> | null = null;
  readonly args: Record<string, ConfigValue>;

  constructor(
    private readonly spec: LayerSpec,
    private readonly call: A.Call,
    private readonly bound: Bound,
    readonly input: Shape,
    readonly previous: LayerInfo | null,
    private readonly model: ModelAnalysis,
    private readonly scope: Scope,
    private readonly out: DiagnosticSink,
    private readonly autoName: AutoName,
  ) {
    this.args = bound.values;
  }

  span(arg?: string): Span {
    return (arg && this.bound.spans[arg]) || this.call.callee.span;
  }

  report(code: DiagnosticCode, message: string, span?: Span, fixes?: Fix[]): void {
    this.out.push(diagnostic(code, 'error', span ?? this.call.callee.span, message, fixes));
  }

  warn(code: DiagnosticCode, message: string, span?: Span, fixes?: Fix[]): void {
    this.out.push(diagnostic(code, 'warning', span ?? this.call.callee.span, message, fixes));
  }

  inferInner(innerInput: Shape): LayerInfo | null {
    const arg = this.spec.args.find((a) => a.type.t === 'layer' && this.bound.calls[a.name]);
    if (!arg) return null;
    const inner = this.inferNested(this.bound.calls[arg.name], arg.type, innerInput);
    if (inner) this.setNested(arg.name, { type: inner.type, config: inner.config });
    return inner;
  }

  inferEach(argName: string, inputOf: (previous: LayerInfo | null) => Shape): LayerInfo[] | null {
    const calls = this.bound.callLists[argName];
    const type = this.spec.args.find((a) => a.name === argName)?.type;
    if (!calls || !type) return null;
    const infos: LayerInfo[] = [];
    for (const c of calls) {
      const info = this.inferNested(c, type, inputOf(infos[infos.length - 1] ?? null));
      if (!info) return null;
      infos.push(info);
    }
    this.setNested(argName, infos.map((i) => ({ type: i.type, config: i.config })));
    return infos;
  }

  addArgToPrevious(arg: string, value: string): Fix | undefined {
    const prevCall = this.model.calls[this.model.calls.length - 1];
    if (!prevCall) return undefined;
    const wrapped = lookupLayer(prevCall.callee.name)?.category === 'wrapper' && prevCall.args[0]?.value?.kind === 'call';
    const target = wrapped ? (prevCall.args[0].value as A.Call) : prevCall;
    return addArgumentFix(target, arg, value);
  }

  private setNested(arg: string, config: ConfigValue): void {
    (this.nested ??= {})[arg] = config;
  }

  private inferNested(innerCall: A.Call, accepted: ArgType, innerInput: Shape): LayerInfo | null {
    const { spec, out, scope } = this;
    const innerSpec = lookupLayer(innerCall.callee.name);
    if (!innerSpec) {
      reportUnknownLayer(innerCall.callee, out);
      return null;
    }
    if ((accepted.t === 'layer' || accepted.t === 'layers') && accepted.of && !accepted.of.includes(innerSpec.category)) {
      const kinds = accepted.of.map((c) => `a ${c === 'cell' ? 'cell' : `${c} layer`} (${layersOf(c).join(', ')})`).join(' or ');
      out.push(diagnostic('invalid-argument', 'error', innerCall.span, `${spec.name} wraps ${kinds}, not ${innerSpec.name}.`));
      return null;
    }
    const innerBound = bindArgs(innerCall, innerSpec.args, { what: innerSpec.name, scope, out });
    if (!innerBound.ok) return null;
    const innerName = this.autoName(innerSpec, innerBound.values.name);
    return inferLayer(innerSpec, innerCall, innerBound, innerInput, innerName, this.previous, this.model, scope, out, this.autoName);
  }
}

function inferLayer(
  spec: LayerSpec,
  call: A.Call,
  bound: Bound,
  input: Shape,
  layerName: string,
  previous: LayerInfo | null,
  model: ModelAnalysis,
  scope: Scope,
  out: DiagnosticSink,
  autoName: AutoName,
): LayerInfo | null {
  const ctx = new LayerContext(spec, call, bound, input, previous, model, scope, out, autoName);
  const result = spec.infer(ctx);
  if (!result) return null;
  // Dimensions are at most MAX_DIMENSION, but their products (a count, a flattened size) may still
  // pass what a double holds exactly: refuse the layer rather than print a rounded number.
  const hugeDim = inexactDim(result.outputs);
  if (hugeDim !== undefined || !Number.isSafeInteger(result.params.total)) {
    const what = hugeDim !== undefined ? `an output dimension of about ${hugeDim.toExponential(2)}` : `about ${result.params.total.toExponential(2)} parameters`;
    out.push(diagnostic('invalid-argument', 'error', call.callee.span, `${spec.name} would have ${what}: more than ${MAX_COUNT.toLocaleString('en-US')} (2^53 − 1), the most that can be counted exactly, and far more than any machine holds. Use fewer units or a smaller input.`));
    return null;
  }
  // bound.values is this layer's own object: it becomes the config without a copy.
  const config: Record<string, ConfigValue> = bound.values;
  if (ctx.nested) Object.assign(config, ctx.nested);
  const info: LayerInfo = {
    name: layerName,
    type: spec.name,
    category: spec.category,
    config,
    inputShape: input,
    outputShapes: sameShapes(previous, result.outputs),
    params: bound.values.trainable === false ? { total: result.params.total, trainable: 0, nonTrainable: result.params.total } : result.params,
    formula: sharedFormula(result.formula),
    span: call.span,
  };
  if (result.inner) info.inner = result.inner;
  return info;
}

/**
 * Formulas already made, each kept once. A formula is built of several pieces (a string of
 * pieces, ~150 bytes) and layers repeat: a model of 100,000 equal layers kept 100,000 copies.
 * Looking one up makes it one flat string. A cache across analyses, cleared when full, so it
 * stays small and follows the file being edited.
 */
const FORMULAS = new Map<string, string>();
const MAX_FORMULAS = 1024;

function sharedFormula(formula: string): string {
  const known = FORMULAS.get(formula);
  if (known !== undefined) return known;
  if (FORMULAS.size >= MAX_FORMULAS) FORMULAS.clear();
  FORMULAS.set(formula, formula);
  return formula;
}

/**
 * A layer's output shapes: the previous layer's list itself when they are the same one shape
 * (lists of shapes are never changed once made), as through a run of Dropout or equal Dense layers.
 */
function sameShapes(previous: LayerInfo | null, outputs: Shape[]): Shape[] {
  const before = previous?.outputShapes;
  return before && before.length === 1 && outputs.length === 1 && before[0] === outputs[0] ? before : outputs;
}

/** The first dimension past what a double holds exactly, if any (loops: `flat()` was a tenth of the analysis of a long model). */
function inexactDim(shapes: Shape[]): number | undefined {
  for (const shape of shapes) {
    for (const d of shape) if (d !== null && !Number.isSafeInteger(d)) return d;
  }
  return undefined;
}

/** The layer calls written inside a call: a wrapped layer, a cell, a list of cells. */
function nestedCalls(bound: Bound): A.Call[] {
  return [...Object.values(bound.calls), ...Object.values(bound.callLists).flat()];
}

/** Whether a layer call has layers or cells written inside it (without making the list nestedCalls does). */
function hasNestedCalls(bound: Bound): boolean {
  for (const _ in bound.calls) return true;
  for (const _ in bound.callLists) return true;
  return false;
}

/** Reports argument errors of a layer whose shape cannot be analysed. */
function analyzeDetached(call: A.Call, scope: Scope, out: DiagnosticSink): void {
  const spec = lookupLayer(call.callee.name);
  if (!spec) {
    reportUnknownLayer(call.callee, out);
    return;
  }
  const bound = bindArgs(call, spec.args, { what: spec.name, scope, out });
  for (const c of nestedCalls(bound)) analyzeDetached(c, scope, out);
}

/** A fix that sets `arg=value` in a call: replaces the value if given, else appends it. */
export function addArgumentFix(call: A.Call, arg: string, value: string): Fix | undefined {
  const existing = call.args.find((a) => a.name?.name === arg);
  if (existing?.value) {
    return { title: `Set ${arg}=${value}`, edits: [{ span: existing.value.span, newText: value }], preferred: true };
  }
  if (!call.closed) return undefined;
  const at = call.argsSpan.end - 1;
  return {
    title: `Add ${arg}=${value}`,
    edits: [{ span: { start: at, end: at }, newText: `${call.args.length ? ', ' : ''}${arg}=${value}` }],
    preferred: true,
  };
}
