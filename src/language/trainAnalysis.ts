import type * as A from './ast';
import { bindArgs, convert, INVALID } from './bind';
import { diagnostic, type Diagnostic } from './diagnostics';
import { evaluate, type Scope } from './evaluate';
import { formatShape } from './formatting';
import type { ArgSpec, ArgType } from './layers/spec';
import type { DataInfo, ModelInfo, OptimizerSpec, PredictInfo, TrainInfo, TrainSettings } from './model';
import type { SymbolTable } from './symbols';
import { closest } from './suggest';
import { renderValue, type Value } from './values';

// Train blocks and predict statements: settings with Keras's names and defaults, and the
// checks that tie a model to its data (input and output shapes, loss against output).

const lr = (d: number): ArgSpec => ({ name: 'learning_rate', type: { t: 'float', min: 0 }, default: d, positional: true });
const eps: ArgSpec = { name: 'epsilon', type: { t: 'float', min: 0 }, default: 1e-7 };

export const OPTIMIZERS: Record<string, ArgSpec[]> = {
  adam: [lr(0.001), { name: 'beta_1', type: { t: 'float', min: 0, max: 1 }, default: 0.9 }, { name: 'beta_2', type: { t: 'float', min: 0, max: 1 }, default: 0.999 }, eps, { name: 'amsgrad', type: { t: 'bool' }, default: false }],
  sgd: [lr(0.01), { name: 'momentum', type: { t: 'float', min: 0 }, default: 0 }, { name: 'nesterov', type: { t: 'bool' }, default: false }],
  rmsprop: [lr(0.001), { name: 'rho', type: { t: 'float', min: 0, max: 1 }, default: 0.9 }, { name: 'momentum', type: { t: 'float', min: 0 }, default: 0 }, eps, { name: 'centered', type: { t: 'bool' }, default: false }],
  adagrad: [lr(0.001), { name: 'initial_accumulator_value', type: { t: 'float', min: 0 }, default: 0.1 }, eps],
  adadelta: [lr(0.001), { name: 'rho', type: { t: 'float', min: 0, max: 1 }, default: 0.95 }, eps],
  adamax: [lr(0.001), { name: 'beta_1', type: { t: 'float', min: 0, max: 1 }, default: 0.9 }, { name: 'beta_2', type: { t: 'float', min: 0, max: 1 }, default: 0.999 }, eps],
};

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

export interface SettingSpec {
  name: string;
  doc: string;
}

export const SETTINGS: SettingSpec[] = [
  { name: 'optimizer', doc: 'adam, sgd, rmsprop, adagrad, adadelta or adamax; as a call to set its arguments: adam(learning_rate=0.001).' },
  { name: 'loss', doc: 'mse, mae, mape, msle, huber, log_cosh, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, hinge.' },
  { name: 'metrics', doc: 'A list of metrics reported each epoch: ["accuracy"], ["mae"].' },
  { name: 'epochs', doc: 'Passes over the training data (Keras default 1).' },
  { name: 'batch_size', doc: 'Samples per gradient update (Keras default 32).' },
  { name: 'validation_split', doc: 'Fraction of the samples, taken from the end, held out for validation (0 to <1).' },
  { name: 'shuffle', doc: 'Shuffle the training samples every epoch (default True).' },
  { name: 'seed', doc: 'Seed for weights and shuffling, so that a run can be reproduced.' },
];

export function analyzeTrain(stmt: A.TrainStmt, symbols: SymbolTable, models: Map<string, ModelInfo>, data: Map<string, DataInfo>, out: Diagnostic[]): TrainInfo | null {
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

function resolveName(ident: A.Ident, kind: 'model' | 'data', symbols: SymbolTable, out: Diagnostic[]): boolean {
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

function analyzeSettings(stmt: A.TrainStmt, scope: Scope, out: Diagnostic[]): TrainSettings | null {
  const settings: TrainSettings = {
    optimizer: { name: 'adam', args: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
    loss: 'mse',
    metrics: [],
    epochs: 1,
    batchSize: 32,
    validationSplit: 0,
    shuffle: true,
    seed: null,
  };
  let ok = true;
  let hasLoss = false;
  const seen = new Set<string>();
  for (const s of stmt.settings) {
    const name = s.name.name;
    if (seen.has(name)) {
      out.push(diagnostic('duplicate-argument', 'error', s.name.span, `${name} is set twice.`));
      ok = false;
      continue;
    }
    seen.add(name);
    if (!SETTINGS.some((x) => x.name === name)) {
      const guess = closest(name, SETTINGS.map((x) => x.name));
      out.push(
        diagnostic(
          'invalid-setting',
          'error',
          s.name.span,
          `Unknown setting '${name}'.` + (guess ? ` Did you mean ${guess}?` : ` Settings: ${SETTINGS.map((x) => x.name).join(', ')}.`),
          guess ? [{ title: `Change to ${guess}`, edits: [{ span: s.name.span, newText: guess }], preferred: true }] : undefined,
        ),
      );
      ok = false;
      continue;
    }
    if (!s.value) {
      ok = false;
      continue;
    }
    if (name === 'optimizer') {
      const opt = analyzeOptimizer(s.value, scope, out);
      if (opt) settings.optimizer = opt;
      else ok = false;
      continue;
    }
    const value = evaluate(s.value, scope, out);
    const put = <T>(type: ArgType, apply: (v: T) => void) => {
      const c = convert(value, type, name, 'train', out);
      if (c === INVALID) ok = false;
      else apply(c as T);
    };
    switch (name) {
      case 'loss': {
        hasLoss = true;
        const loss = enumName(value, LOSSES, 'loss', out);
        if (loss) settings.loss = loss;
        else ok = false;
        break;
      }
      case 'metrics': {
        const items = value.kind === 'seq' ? value.items : [value];
        for (const item of items) {
          const m = enumName(item, METRICS, 'metric', out);
          if (m) settings.metrics.push(m);
          else ok = false;
        }
        break;
      }
      case 'epochs':
        put<number>({ t: 'int', min: 1 }, (v) => (settings.epochs = v));
        break;
      case 'batch_size':
        put<number>({ t: 'int', min: 1 }, (v) => (settings.batchSize = v));
        break;
      case 'validation_split':
        put<number>({ t: 'float', min: 0, max: 0.99 }, (v) => (settings.validationSplit = v));
        break;
      case 'shuffle':
        put<boolean>({ t: 'bool' }, (v) => (settings.shuffle = v));
        break;
      case 'seed':
        put<number | null>({ t: 'int', nullable: true }, (v) => (settings.seed = v));
        break;
    }
  }
  if (!hasLoss && stmt.open && stmt.models.length) {
    out.push(diagnostic('invalid-setting', 'info', stmt.models[0].span, 'No loss is set: training uses "mse". Set loss = "..." to choose.'));
  }
  return ok ? settings : null;
}

function enumName(value: Value, table: Record<string, string>, what: string, out: Diagnostic[]): string | null {
  if (value.kind === 'error') return null;
  if (value.kind !== 'string' && value.kind !== 'word') {
    out.push(diagnostic('invalid-setting', 'error', value.span, `A ${what} is a name such as "${Object.keys(table)[0]}", not ${renderValue(value)}.`));
    return null;
  }
  const canonical = table[value.value];
  if (canonical) return canonical;
  const guess = closest(value.value, Object.keys(table));
  const replacement = guess && (value.kind === 'string' ? JSON.stringify(guess) : guess);
  out.push(
    diagnostic(
      'invalid-setting',
      'error',
      value.span,
      `Unknown ${what} '${value.value}'.` + (guess ? ` Did you mean ${guess}?` : ` Known: ${[...new Set(Object.values(table))].join(', ')}.`),
      replacement ? [{ title: `Change to ${replacement}`, edits: [{ span: value.span, newText: replacement }], preferred: true }] : undefined,
    ),
  );
  return null;
}

function analyzeOptimizer(expr: A.Expr, scope: Scope, out: Diagnostic[]): OptimizerSpec | null {
  let name: string;
  let call: A.Call | null = null;
  if (expr.kind === 'call') {
    name = expr.callee.name;
    call = expr;
  } else {
    const v = evaluate(expr, scope, out);
    if (v.kind === 'error') return null;
    if (v.kind !== 'string' && v.kind !== 'word') {
      out.push(diagnostic('invalid-setting', 'error', v.span, 'optimizer is a name ("adam") or a call (adam(learning_rate=0.001)).'));
      return null;
    }
    name = v.value;
  }
  const key = name.toLowerCase();
  const specs = OPTIMIZERS[key];
  if (!specs) {
    const span = call ? call.callee.span : expr.span;
    const guess = closest(name, Object.keys(OPTIMIZERS));
    out.push(
      diagnostic(
        'invalid-setting',
        'error',
        span,
        `Unknown optimizer '${name}'.` + (guess ? ` Did you mean ${guess}?` : ` Known: ${Object.keys(OPTIMIZERS).join(', ')}.`),
        guess && call ? [{ title: `Change to ${guess}`, edits: [{ span, newText: guess }], preferred: true }] : undefined,
      ),
    );
    return null;
  }
  const args: Record<string, number | boolean> = {};
  if (call) {
    const bound = bindArgs(call, specs, { what: key, scope, out });
    if (!bound.ok) return null;
    for (const [k, v] of Object.entries(bound.values)) args[k] = v as number | boolean;
  } else {
    for (const s of specs) args[s.name] = s.default as number | boolean;
  }
  return { name: key, args };
}

function checkLoss(model: ModelInfo, loss: string, stmt: A.TrainStmt, out: Diagnostic[]): void {
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

function checkData(model: ModelInfo, data: DataInfo, dataIdent: A.Ident, modelIdent: A.Ident, loss: string, out: Diagnostic[]): void {
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

export function analyzePredict(stmt: A.PredictStmt, symbols: SymbolTable, models: Map<string, ModelInfo>, out: Diagnostic[]): PredictInfo | null {
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
  const input = model?.inputShape;
  if (model && input) {
    const isIds = input.length === 2;
    const steps = input[1];
    const features = isIds ? 1 : input[2];
    if (steps !== null && steps !== rows.length) {
      out.push(diagnostic('invalid-predict', 'error', value.span, `${model.name} takes ${steps} steps per sample, this input has ${rows.length}.`));
      return null;
    }
    if (features !== null && features !== undefined && rows[0].length !== features) {
      out.push(diagnostic('invalid-predict', 'error', value.span, `${model.name} takes ${features} feature${features === 1 ? '' : 's'} per step, this input has ${rows[0].length}.`));
      return null;
    }
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
