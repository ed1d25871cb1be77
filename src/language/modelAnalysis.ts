import type * as A from './ast';
import { bindArgs, type Bound } from './bind';
import { type DiagnosticSink } from './diagnosticCollector';
import { diagnostic, type DiagnosticCode, type Fix } from './diagnostics';
import type { Scope } from './evaluate';
import { formatShapes } from './formatting';
import { layersOf, lookupLayer, LAYERS, LAYER_ALIASES } from './layers/registry';
import type { ArgSpec, ArgType, InferContext, LayerSpec } from './layers/spec';
import type { ConfigValue, LayerInfo, ModelInfo, Shape, Span } from './model';
import { closest } from './suggest';
import { STEP_SIZE, type Steps } from './steps';

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
  inputInsertAt: number | null;
  /** The first layer's call, when it has no input shape. */
  missingInput: A.Call | null;
}

export function isInputCall(expr: A.Expr): boolean {
  return expr.kind === 'call' && (expr.callee.name === 'input' || expr.callee.name === 'Input');
}

/** One model's layers, shapes and counts, in steps of STEP_SIZE layers (see steps.ts). */
export function* analyzeModel(stmt: A.ModelStmt, scope: Scope, out: DiagnosticSink, text: string): Steps<ModelAnalysis> {
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
  const result: ModelAnalysis = { info, calls: [], inputInsertAt: null, missingInput: null };
  const counters = new Map<string, number>();
  const usedNames = new LayerNames();
  let shape: Shape | null = null;
  let shapeKnown = true;
  let declaredInput: Span | null = null;
  let layerIndex = 0;
  /** Parameters of the layers so far: the model's total must stay exact too. */
  let counted = 0;

  const autoName = (spec: LayerSpec, given: ConfigValue | undefined): string => {
    if (typeof given === 'string') return given;
    const n = counters.get(spec.autoName) ?? 0;
    counters.set(spec.autoName, n + 1);
    return n === 0 ? spec.autoName : `${spec.autoName}_${n}`;
  };

  if (stmt.open) result.inputInsertAt = stmt.open.end;

  for (let i = 0; i < stmt.layers.length; i++) {
    if (i % STEP_SIZE === STEP_SIZE - 1) yield;
    const expr = stmt.layers[i];
    if (expr.kind === 'error') {
      shapeKnown = false;
      continue;
    }
    if (expr.kind !== 'call') {
      const hint = expr.kind === 'ident' ? ` Write ${expr.name}(...) with its arguments.` : '';
      out.push(diagnostic('syntax-error', 'error', expr.span, `Expected a layer such as LSTM(50), found ${text.slice(expr.span.start, expr.span.end)}.${hint}`));
      shapeKnown = false;
      continue;
    }
    if (isInputCall(expr)) {
      const dims = bindInput(expr, scope, out);
      if (layerIndex > 0 || declaredInput) {
        out.push(diagnostic('syntax-error', 'error', expr.callee.span, `${expr.callee.name}(...) declares the model's input and must be its first line.`));
        continue;
      }
      declaredInput = expr.span;
      if (dims) shape = [null, ...dims];
      else shapeKnown = false;
      info.inputShape = shape;
      continue;
    }

    const spec = lookupLayer(expr.callee.name);
    if (!spec) {
      reportUnknownLayer(expr.callee, out);
      shapeKnown = false;
      continue;
    }
    if (spec.category === 'cell') {
      reportCellOutsideRnn(expr, spec.name, out);
      shapeKnown = false;
      continue;
    }
    const bound = bindArgs(expr, spec.args, { what: spec.name, scope, out });
    const isFirst = layerIndex === 0;
    layerIndex++;

    if (isFirst && !declaredInput) {
      const fromArgs = inputFromArgs(spec, bound, out);
      if (fromArgs) {
        shape = fromArgs;
        info.inputShape = shape;
      } else if (fromArgs === undefined) {
        if (spec.category === 'embedding') {
          shape = [null, (bound.values.input_length as number | null | undefined) ?? null];
          info.inputShape = shape;
        } else {
          result.missingInput = expr;
          shapeKnown = false;
        }
      } else shapeKnown = false;
    } else if (!isFirst) {
      for (const a of FIRST_LAYER_ONLY) {
        if (bound.given.has(a)) {
          out.push(diagnostic('invalid-argument', 'warning', bound.spans[a] ?? expr.span, `${a} only has an effect on the first layer of a model; here it is ignored.`));
        }
      }
    } else if (declaredInput) {
      for (const a of INPUT_SHAPE_ARGS) {
        if (bound.given.has(a)) {
          out.push(diagnostic('invalid-argument', 'warning', bound.spans[a] ?? expr.span, `${a} is ignored: the model already declares its input on its first line.`));
        }
      }
    }

    if (spec.category === 'embedding' && !isFirst) {
      out.push(
        diagnostic(
          'embedding-not-first',
          'error',
          expr.callee.span,
          'Embedding looks up integer word ids, so it must be the first layer of the model; here it would receive the previous layer\'s real-valued output.',
        ),
      );
      shapeKnown = false;
    }

    const previous = info.layers[info.layers.length - 1] ?? null;
    if (previous && previous.outputShapes.length > 1 && shapeKnown) {
      out.push(
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
      out.push(diagnostic('duplicate-name', 'error', bound.spans.name ?? expr.callee.span, `Model ${name} already has a layer named '${layerName}'; layer names must be unique.`));
    }

    if (!shapeKnown || !shape || !bound.ok) {
      shapeKnown = false;
      // Still analyse wrapped layers so their argument errors are reported.
      for (const c of nestedCalls(bound)) analyzeDetached(c, scope, out);
      continue;
    }
    const layer = inferLayer(spec, expr, bound, shape, layerName, previous, result, scope, out, autoName);
    if (!layer) {
      shapeKnown = false;
      continue;
    }
    if (!Number.isSafeInteger(counted + layer.params.total)) {
      out.push(diagnostic('invalid-argument', 'error', expr.callee.span, `With ${layer.name}, model ${name} would have more than ${MAX_COUNT.toLocaleString('en-US')} (2^53 − 1) parameters, the most that can be counted exactly. Use fewer units or a smaller input.`));
      shapeKnown = false;
      continue;
    }
    counted += layer.params.total;
    info.layers.push(layer);
    result.calls.push(expr);
    shape = layer.outputShapes[0];
  }

  if (!stmt.layers.some((l) => !isInputCall(l)) && stmt.name && stmt.close) {
    out.push(diagnostic('syntax-error', 'warning', stmt.name.span, `Model ${name} has no layers yet: add one per line, e.g. LSTM(50).`));
  }

  for (const l of info.layers) {
    info.params.total += l.params.total;
    info.params.trainable += l.params.trainable;
    info.params.nonTrainable += l.params.nonTrainable;
  }
  const last = info.layers[info.layers.length - 1];
  info.outputShapes = last ? last.outputShapes : info.inputShape ? [info.inputShape] : [];
  info.valid = shapeKnown && out.errors === errorsBefore && info.layers.length > 0;
  return result;
}

/**
 * The names of a model's layers, to find one used twice. Automatic names (dense, dense_1, ...)
 * never repeat among themselves, so only given names are kept as strings and an automatic one
 * as its counter: hashing 100,000 fresh "dense_N" strings was a tenth of a long model's analysis.
 */
class LayerNames {
  private readonly given = new Set<string>();
  /** Per automatic-name stem, which of its counters name a layer of the model (not a wrapped one). */
  private readonly autos = new Map<string, boolean[]>();

  /** Records a given name; true when a layer already has it. */
  claimGiven(name: string): boolean {
    const taken = this.given.has(name) || this.isAuto(name);
    this.given.add(name);
    return taken;
  }

  /** Records automatic name number `index` of `stem` (`name`); true when a given name took it first. */
  claimAuto(stem: string, index: number, name: string): boolean {
    let used = this.autos.get(stem);
    if (!used) this.autos.set(stem, (used = []));
    used[index] = true;
    return this.given.size > 0 && this.given.has(name);
  }

  /** Whether a name is the automatic name of an earlier layer: `stem` is number 0, `stem_N` number N. */
  private isAuto(name: string): boolean {
    if (this.autos.get(name)?.[0]) return true;
    const m = /^(.+)_([1-9]\d*)$/.exec(name);
    return !!m && !!this.autos.get(m[1])?.[Number(m[2])];
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
