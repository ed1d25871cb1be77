import type * as A from './ast';
import { bindArgs } from './bind';
import { type DiagnosticSink } from './diagnosticCollector';
import { diagnostic, type Diagnostic } from './diagnostics';
import { evaluate, type Scope } from './evaluate';
import { formatShape } from './formatting';
import { resolveObject, shortName } from './kerasObjects';
import type { ArgSpec } from './layers/spec';
import type { DataInfo, ModelInfo, PredictInfo, TrainInfo, TrainSettings } from './model';
import { predictInputProblem } from './predictInput';
import type { SymbolTable } from './symbols';
import { closest } from './suggest';
import type { Value } from './values';

// Train blocks and predict statements: settings with Keras's names and defaults, and the
// checks that tie a model to its data (input and output shapes, loss against output).

/** Error measures Keras accepts both as losses and as metrics, long names and short. */
const ERROR_MEASURES: Record<string, string> = {
  mse: 'mse',
  mean_squared_error: 'mse',
  mae: 'mae',
  mean_absolute_error: 'mae',
  mape: 'mape',
  mean_absolute_percentage_error: 'mape',
};

/** Keras's long loss names and their short forms map to one canonical name. */
export const LOSSES: Record<string, string> = {
  ...ERROR_MEASURES,
  msle: 'msle',
  mean_squared_logarithmic_error: 'msle',
  huber: 'huber',
  log_cosh: 'log_cosh',
  binary_crossentropy: 'binary_crossentropy',
  categorical_crossentropy: 'categorical_crossentropy',
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
  hinge: 'hinge',
};

export const METRICS: Record<string, string> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  binary_accuracy: 'binary_accuracy',
  categorical_accuracy: 'categorical_accuracy',
  sparse_categorical_accuracy: 'sparse_categorical_accuracy',
  ...ERROR_MEASURES,
};

/**
 * The settings of a train block, bound like a call's arguments (bind.ts): the same types,
 * defaults, messages, docs and completion as a layer's. The defaults are Keras's fit() and
 * compile() defaults, but for loss, which Keras requires and a train block may omit (mse).
 */
export const TRAIN_SETTINGS: ArgSpec[] = [
  {
    name: 'optimizer',
    type: { t: 'object', kind: 'optimizer' },
    default: 'adam',
    doc: 'adam, sgd, rmsprop, adagrad, adadelta or adamax; as a call to set its arguments: adam(learning_rate=0.001).',
  },
  { name: 'loss', type: { t: 'enum', values: Object.keys(LOSSES) }, default: 'mse', doc: 'What training minimises: mse, mae, mape, msle, huber, log_cosh, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, hinge.' },
  { name: 'metrics', type: { t: 'list', item: { t: 'enum', values: Object.keys(METRICS) } }, default: [], doc: 'A list of metrics reported each epoch: ["accuracy"], ["mae"].' },
  { name: 'epochs', type: { t: 'int', min: 1 }, default: 1, doc: 'Passes over the training data (Keras default 1).' },
  { name: 'batch_size', type: { t: 'int', min: 1 }, default: 32, doc: 'Samples per gradient update (Keras default 32).' },
  { name: 'validation_split', type: { t: 'float', min: 0, max: 0.99 }, default: 0, doc: 'Fraction of the samples, taken from the end, held out for validation (0 to <1).' },
  { name: 'shuffle', type: { t: 'bool' }, default: true, doc: 'Shuffle the training samples every epoch (default True).' },
  { name: 'seed', type: { t: 'int', nullable: true }, default: null, doc: 'Seed for weights and shuffling, so that a run can be reproduced.' },
];

/** The models or data sources listed, by name (a map, or the pass after an edit's look-up through the symbols). */
export type ByName<T> = Pick<ReadonlyMap<string, T>, 'get'>;

export function analyzeTrain(stmt: A.TrainStmt, symbols: SymbolTable, models: ByName<ModelInfo>, data: ByName<DataInfo>, out: DiagnosticSink): TrainInfo | null {
  const modelNames: string[] = [];
  for (const m of stmt.models) {
    if (resolveName(m, 'model', symbols, out)) modelNames.push(m.name);
  }
  const dataName = stmt.data && resolveName(stmt.data, 'data', symbols, out) ? stmt.data.name : null;
  const settings = analyzeSettings(stmt, symbols, out);
  if (!settings) return null;
  const dataInfo = dataName ? data.get(dataName) : undefined;
  for (const name of modelNames) {
    const model = models.get(name);
    const ident = stmt.models.find((m) => m.name === name)!;
    if (!model || !model.valid) continue;
    if (model.outputShapes.length > 1) {
      out.push(diagnostic('incompatible-shape', 'error', ident.span, `${name} has ${model.outputShapes.length} outputs (return_state=True); only a model with one output can be trained here.`));
      continue;
    }
    checkLoss(model, settings.loss, stmt, out);
    if (dataInfo && stmt.data) checkData(model, dataInfo, stmt.data, ident, settings.loss, out);
  }
  if (!dataName || modelNames.length !== stmt.models.length) return null;
  return { span: stmt.span, models: modelNames, data: dataName, settings };
}

function resolveName(ident: A.Ident, kind: 'model' | 'data', symbols: SymbolTable, out: DiagnosticSink): boolean {
  if (symbols.reference(ident, kind)) return true;
  const other = symbols.get(ident.name);
  if (other) {
    out.push(diagnostic('undefined-name', 'error', ident.span, `'${ident.name}' is a ${other.kind === 'constant' ? 'constant' : other.kind === 'data' ? 'data source' : 'model'}, not a ${kind === 'data' ? 'data source' : 'model'}.`));
    return false;
  }
  const guess = closest(ident.name, symbols.names(kind));
  out.push(
    diagnostic(
      'undefined-name',
      'error',
      ident.span,
      `No ${kind === 'data' ? 'data source' : 'model'} named '${ident.name}'.` + (guess ? ` Did you mean ${guess}?` : ''),
      guess ? [{ title: `Change to ${guess}`, edits: [{ span: ident.span, newText: guess }], preferred: true }] : undefined,
    ),
  );
  return false;
}

function analyzeSettings(stmt: A.TrainStmt, scope: Scope, out: DiagnosticSink): TrainSettings | null {
  // The block's `name = value` lines are a call's keyword arguments.
  const call: A.Call = {
    kind: 'call',
    callee: { kind: 'ident', name: 'train', span: stmt.span },
    args: stmt.settings.map((s) => ({ name: s.name, value: s.value, span: s.span })),
    span: stmt.span,
    argsSpan: stmt.span,
    closed: false,
  };
  // A train block's problems keep their own code (docs/diagnostics.md), whatever the binder
  // calls an argument's.
  const asSetting = (d: Diagnostic): Diagnostic => {
    if (d.code === 'unknown-argument' || d.code === 'invalid-argument') d.code = 'invalid-setting';
    return d;
  };
  const settingsOut: DiagnosticSink = {
    push: (d) => out.push(asSetting(d)),
    report: (severity, span, build) => out.report(severity, span, () => asSetting(build())),
    get errors() {
      return out.errors;
    },
  };
  const bound = bindArgs(call, TRAIN_SETTINGS, { what: 'train', scope, out: settingsOut, noun: 'setting' });
  if (!bound.given.has('loss') && stmt.open && stmt.models.length) {
    out.push(diagnostic('invalid-setting', 'info', stmt.models[0].span, 'No loss is set: training uses "mse". Set loss = "..." to choose.'));
  }
  if (!bound.ok) return null;
  const v = bound.values;
  const optimizer = resolveObject('optimizer', v.optimizer)!;
  return {
    // The canonical lower-case name (adam, sgd) and every argument, Keras's defaults filled in.
    optimizer: { name: shortName(optimizer.type), args: optimizer.config as Record<string, number | boolean> },
    loss: LOSSES[v.loss as string],
    metrics: (v.metrics as string[]).map((m) => METRICS[m]),
    epochs: v.epochs as number,
    batchSize: v.batch_size as number,
    validationSplit: v.validation_split as number,
    shuffle: v.shuffle as boolean,
    seed: v.seed as number | null,
  };
}

function checkLoss(model: ModelInfo, loss: string, stmt: A.TrainStmt, out: DiagnosticSink): void {
  const shape = model.outputShapes[0];
  const units = shape[shape.length - 1];
  const at = stmt.settings.find((s) => s.name.name === 'loss')?.value?.span ?? stmt.models[0].span;
  if (loss === 'categorical_crossentropy' && units === 1) {
    out.push(
      diagnostic(
        'loss-output-mismatch',
        'error',
        at,
        `categorical_crossentropy compares a probability per class, but ${model.name} outputs a single unit ${formatShape(shape)}. For two classes use loss = "binary_crossentropy" with Dense(1, activation="sigmoid"); for more, Dense(classes, activation="softmax").`,
        [{ title: 'Use binary_crossentropy', edits: [{ span: at, newText: '"binary_crossentropy"' }] }],
      ),
    );
  } else if (loss === 'sparse_categorical_crossentropy' && units === 1) {
    out.push(diagnostic('loss-output-mismatch', 'error', at, `sparse_categorical_crossentropy needs one output unit per class, but ${model.name} outputs ${formatShape(shape)}.`));
  } else if (loss === 'binary_crossentropy' && lastActivation(model) === 'softmax') {
    out.push(diagnostic('loss-output-mismatch', 'warning', at, `binary_crossentropy with a softmax output: for one-hot classes use categorical_crossentropy, for a yes/no output Dense(1, activation="sigmoid").`));
  }
}

function lastActivation(model: ModelInfo): string | null {
  const last = model.layers[model.layers.length - 1];
  return last ? ((last.config.activation as string | null | undefined) ?? null) : null;
}

function checkData(model: ModelInfo, data: DataInfo, dataIdent: A.Ident, modelIdent: A.Ident, loss: string, out: DiagnosticSink): void {
  const input = model.inputShape;
  const x = data.xShape;
  if (input) {
    const modelSample = input.slice(1);
    const dataSample = x.slice(1);
    const rankOk = modelSample.length === dataSample.length;
    const dimsOk = rankOk && modelSample.every((d, i) => d === null || dataSample[i] === null || d === dataSample[i]);
    if (!dimsOk) {
      const steps = data.spec.kind === 'window' ? ` (window steps=${data.spec.steps})` : '';
      out.push(
        diagnostic(
          'data-shape-mismatch',
          'error',
          dataIdent.span,
          `${data.name} gives samples of shape ${formatShape([null, ...dataSample])}${steps} but ${model.name} expects input ${formatShape(input)}.`,
        ),
      );
    }
  }
  const output = model.outputShapes[0];
  const y = data.yShape;
  const outUnits = output[output.length - 1];
  const yUnits = y[y.length - 1];
  if (output.length !== 2) {
    out.push(diagnostic('data-shape-mismatch', 'error', modelIdent.span, `${model.name} outputs ${formatShape(output)} per sample, but ${data.name} has targets of shape ${formatShape([null, ...y.slice(1)])}.`));
    return;
  }
  if (data.spec.kind === 'labelledWindows') {
    checkClasses(model, data, dataIdent, loss, outUnits, yUnits, out);
    return;
  }
  if (loss === 'sparse_categorical_crossentropy') return;
  if (outUnits !== null && yUnits !== null && outUnits !== yUnits) {
    const horizon = data.spec.kind === 'window' ? ` (horizon=${data.spec.horizon})` : '';
    out.push(
      diagnostic(
        'data-shape-mismatch',
        'error',
        dataIdent.span,
        `${data.name} has ${yUnits} target value${yUnits === 1 ? '' : 's'} per sample${horizon} but ${model.name} outputs ${outUnits}: make the last layer Dense(${yUnits}).`,
      ),
    );
  }
}

/**
 * Labelled windows have one-hot targets, one per class: the loss must take one-hot classes,
 * and the last layer must have one unit per class (known when class_names lists them).
 */
function checkClasses(model: ModelInfo, data: DataInfo, dataIdent: A.Ident, loss: string, outUnits: number | null, classes: number | null, out: DiagnosticSink): void {
  if (loss === 'sparse_categorical_crossentropy') {
    out.push(
      diagnostic(
        'loss-output-mismatch',
        'error',
        dataIdent.span,
        `${data.name} gives one-hot classes (one value per class), but sparse_categorical_crossentropy takes class numbers: use loss = "categorical_crossentropy".`,
      ),
    );
    return;
  }
  if (outUnits === null || classes === null || outUnits === classes) return;
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.config.activation as string | null | undefined) ?? 'softmax';
  const call = `Dense(${classes}, activation="${activation}")`;
  out.push(
    diagnostic(
      'data-shape-mismatch',
      'error',
      dataIdent.span,
      `${data.name} has ${classes} classes (class_names) but ${model.name} outputs ${outUnits}: make the last layer ${call}.`,
      last?.type === 'Dense' ? [{ title: `Change ${model.name}'s last layer to ${call}`, edits: [{ span: last.span, newText: call }] }] : undefined,
    ),
  );
}

export function analyzePredict(stmt: A.PredictStmt, symbols: SymbolTable, models: ByName<ModelInfo>, out: DiagnosticSink): PredictInfo | null {
  if (!stmt.model || !stmt.input) return null;
  if (!resolveName(stmt.model, 'model', symbols, out)) return null;
  const value = evaluate(stmt.input, symbols, out);
  if (value.kind === 'error') return null;
  const rows = sequenceRows(value);
  if (!rows) {
    out.push(diagnostic('invalid-predict', 'error', value.span, 'The input is a list of steps, e.g. [70, 80, 90], or [[1, 2], [3, 4]] with several features per step.'));
    return null;
  }
  const model = models.get(stmt.model.name);
  const problem = model ? predictInputProblem(rows, model) : null;
  if (problem) {
    out.push(diagnostic('invalid-predict', 'error', value.span, problem));
    return null;
  }
  return { span: stmt.span, model: stmt.model.name, input: rows };
}

function sequenceRows(value: Value): number[][] | null {
  if (value.kind !== 'seq' || value.items.length === 0) return null;
  const rows: number[][] = [];
  for (const item of value.items) {
    if (item.kind === 'number') rows.push([item.value]);
    else if (item.kind === 'seq' && item.items.length > 0 && item.items.every((x) => x.kind === 'number')) rows.push(item.items.map((x) => (x as { value: number }).value));
    else return null;
    if (rows[rows.length - 1].length !== rows[0].length) return null;
  }
  return rows;
}
