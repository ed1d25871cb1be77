// "Export to Keras": the Python a model's .seqmodel file stands for, written the way the seed
// notebooks write it: imports, the data (split_sequence for a window, the echo generator, the
// IMDB loader), a Sequential model with Keras's own arguments, compile, fit and the predict
// statements. Pure: it reads the engine's analysis and returns text (no editor, no tfjs).

import type { Analysis } from './analyzer';
import { formatCount } from './formatting';
import { cellExport } from './exportCells';
import { lookupLayer } from './layers/registry';
import { isObjectConfig, lookupObject, objectCall, objectClass } from './kerasObjects';
import type { ArgSpec, ObjectKind } from './layers/spec';
import type { ConfigValue, DataInfo, LayerConfig, ModelInfo, CsvSeriesSpec, OptimizerSpec, PredictInfo, SeriesSpec, TrainInfo } from './model';

export interface KerasExportOptions {
  /** Named in the header comment. */
  fileName?: string;
}

/** Arguments whose value is a shape: Python writes them as tuples, not lists. */
function isTupleArg(spec: ArgSpec | undefined, value: ConfigValue): boolean {
  if (!Array.isArray(value)) return false;
  return spec?.type.t === 'shape' || spec?.type.t === 'int1' || spec?.name === 'input_shape';
}

function isLayerConfig(value: ConfigValue): value is LayerConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as LayerConfig).type === 'string' && !isObjectConfig(value);
}

/** A Python literal for a config value. */
export function pythonValue(value: ConfigValue, tuple = false): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => pythonValue(v));
    if (tuple) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  // An initializer, regularizer or constraint written as a call: L2(l2=0.001).
  if (isObjectConfig(value)) return objectCall(value, (v) => pythonValue(v));
  return layerCall(value);
}

function pythonNumber(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (!Number.isFinite(x)) return x > 0 ? "float('inf')" : "-float('inf')";
  // JavaScript and Python agree on shortest round-trip digits; only the exponent differs (1e-7 vs 1e-07).
  return String(x).replace(/e([+-])(\d)$/, (_m, sign: string, digit: string) => `e${sign}0${digit}`);
}

function pythonString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function sameValue(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One layer as a Keras call with only the arguments that differ from Keras's defaults, the
 * required positional ones first without their names: SimpleRNN(50, activation='sigmoid').
 */
export function layerCall(layer: LayerConfig, extra: Record<string, ConfigValue> = {}): string {
  const spec = lookupLayer(layer.type);
  const config = { ...layer.config, ...extra };
  const parts: string[] = [];
  const specs = spec?.args ?? [];
  const named = new Set<string>();
  let positional = true;
  for (const arg of specs) {
    if (!(arg.name in config)) continue;
    const value = config[arg.name];
    named.add(arg.name);
    const isDefault = 'default' in arg && sameValue(value, arg.default);
    if (isDefault && !(arg.name in extra)) {
      positional = false;
      continue;
    }
    if (value === undefined) continue;
    const text = pythonValue(value, isTupleArg(arg, value));
    // Keras takes required arguments by position (units, rate, layer); the course notebooks write them so.
    if (positional && arg.required && arg.positional) parts.push(text);
    else {
      positional = false;
      parts.push(`${arg.name}=${text}`);
    }
  }
  // Arguments the registry does not list (should not happen) are kept rather than lost.
  for (const [name, value] of Object.entries(config)) {
    if (named.has(name) || value === undefined) continue;
    parts.push(`${name}=${pythonValue(value, name === 'input_shape')}`);
  }
  return `${layer.type}(${parts.join(', ')})`;
}

/**
 * Every class a model uses, in first-use order: its layers (wrapped ones included), and the
 * initializers, regularizers and constraints written as calls, by their Keras module.
 */
function modelClasses(model: ModelInfo): { layers: string[]; objects: Map<ObjectKind, string[]> } {
  const layers: string[] = [];
  const objects = new Map<ObjectKind, string[]>();
  const add = (list: string[], name: string) => {
    if (!list.includes(name)) list.push(name);
  };
  const visit = (layer: LayerConfig) => {
    add(layers, layer.type);
    // Nested layers: Bidirectional's layer, RNN's cell, StackedRNNCells's list of cells.
    for (const v of Object.values(layer.config)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (isObjectConfig(item)) {
          const kind = objectClass(item.type)!.kind;
          if (!objects.has(kind)) objects.set(kind, []);
          add(objects.get(kind)!, item.type);
        } else if (isLayerConfig(item)) visit(item);
      }
    }
  };
  model.layers.forEach(visit);
  return { layers, objects };
}

function optimizerExpression(opt: OptimizerSpec): { code: string; className: string | null } {
  const spec = lookupObject(opt.name);
  const specs = spec ? objectClass(spec.className)!.args : [];
  const changed = specs.filter((s) => s.name in opt.args && !sameValue(opt.args[s.name], s.default));
  if (!spec || changed.length === 0) return { code: pythonString(opt.name), className: null };
  const args = changed.map((s) => `${s.name}=${pythonValue(opt.args[s.name])}`).join(', ');
  return { code: `${spec.className}(${args})`, className: spec.className };
}

const SPLIT_SEQUENCE = `# split a sequence into samples: n_steps_in inputs, the next n_steps_out values of the target
def split_sequence(sequence, n_steps_in, n_steps_out, target=0):
    X, y = list(), list()
    for i in range(len(sequence)):
        end_ix = i + n_steps_in
        out_end_ix = end_ix + n_steps_out
        if out_end_ix > len(sequence):
            break
        X.append(sequence[i:end_ix, :])
        y.append(sequence[end_ix:out_end_ix, target])
    return np.array(X), np.array(y)`;

const LABELLED_WINDOWS = `# cut windows of n_steps rows, each classified by the label column; a window whose rows carry
# several labels is dropped ('drop'), or labelled by its last row ('last') or by most of its rows
# ('majority', ties to the label seen latest)
def labelled_windows(features, labels, class_names, n_steps, stride, mixed):
    X, y = list(), list()
    for start in range(0, len(features) - n_steps + 1, stride):
        window = list(labels[start:start + n_steps])
        if mixed == 'drop' and len(set(window)) > 1:
            continue
        counts = Counter(window)
        label = max(reversed(window), key=counts.__getitem__) if mixed == 'majority' else window[-1]
        X.append(features[start:start + n_steps])
        y.append(class_names.index(label))
    return np.array(X), to_categorical(y, len(class_names))`;

const ECHO_GENERATOR = `# generate a sequence of random integers
def generate_sequence(length, n_features):
    return [randint(0, n_features - 1) for _ in range(length)]

# one hot encode sequence
def one_hot_encode(sequence, n_features):
    encoding = list()
    for value in sequence:
        vector = [0 for _ in range(n_features)]
        vector[value] = 1
        encoding.append(vector)
    return np.array(encoding)

# decode a one hot encoded string
def one_hot_decode(encoded_seq):
    return [np.argmax(vector) for vector in encoded_seq]

# generate one example: the sequence, and the value at out_index as the label
def generate_example(length, n_features, out_index):
    sequence = generate_sequence(length, n_features)
    encoded = one_hot_encode(sequence, n_features)
    X = encoded.reshape((1, length, n_features))
    y = encoded[out_index].reshape(1, n_features)
    return X, y`;

interface DataCode {
  imports: string[];
  code: string;
}

function seriesCode(series: SeriesSpec): DataCode {
  switch (series.kind) {
    case 'literal': {
      const rows = series.values.every((r) => r.length === 1) ? `[${series.values.map((r) => pythonNumber(r[0])).join(', ')}]` : pythonValue(series.values);
      const oneFeature = series.values.every((r) => r.length === 1);
      return {
        imports: [],
        code: `raw_seq = ${rows}\nsequence = np.array(raw_seq, dtype='float32')${oneFeature ? '.reshape((-1, 1))' : ''}\ntarget = 0`,
      };
    }
    case 'csv': {
      const { read, column, select } = csvFrame(series);
      const target = series.target === null ? '0' : `list(frame.columns).index(${column(series.target)})`;
      return {
        imports: ['import pandas as pd'],
        code: `${read}\nframe = ${select}\nsequence = frame.to_numpy(dtype='float32')\ntarget = ${target}`,
      };
    }
    case 'sine':
      return {
        imports: [],
        code:
          `# a noisy sine wave (numpy's random numbers differ from SeqModel's: the noise is not the same)\n` +
          `rng = np.random.default_rng(${series.seed})\n` +
          `t = np.arange(${series.length})\n` +
          `sequence = (${pythonNumber(series.amplitude)} * np.sin(2 * np.pi * t / ${pythonNumber(series.period)}) + ${pythonNumber(series.noise)} * rng.standard_normal(${series.length})).astype('float32').reshape((-1, 1))\n` +
          `target = 0`,
      };
  }
}

/** pandas reading a csv(...) series: the read, a column reference, the feature selection. */
function csvFrame(series: CsvSeriesSpec, except?: string | number): { read: string; column: (c: string | number) => string; select: string } {
  const header = series.header === false ? ', header=None' : '';
  const sep = series.delimiter !== ',' ? `, sep=${pythonString(series.delimiter)}` : '';
  // Columns may be named or 0-based indices: select through the raw frame's column labels.
  const column = (c: string | number) => (typeof c === 'number' ? `raw.columns[${c}]` : pythonString(c));
  const select = series.columns ? `raw[[${series.columns.map(column).join(', ')}]]` : except !== undefined ? `raw.drop(columns=[${column(except)}])` : 'raw';
  return { read: `raw = pd.read_csv(${pythonString(series.path)}${header}${sep})`, column, select };
}

function dataCode(data: DataInfo): DataCode {
  const spec = data.spec;
  switch (spec.kind) {
    case 'window': {
      const series = seriesCode(spec.series);
      return {
        imports: series.imports,
        code: `${SPLIT_SEQUENCE}\n\n# data: ${data.name}\n${series.code}\nn_steps_in, n_steps_out = ${spec.steps}, ${spec.horizon}\nX, y = split_sequence(sequence, n_steps_in, n_steps_out, target)\nn_features = X.shape[2]\nprint(X.shape, y.shape)`,
      };
    }
    case 'labelledWindows': {
      const { read, column, select } = csvFrame(spec.series, spec.label);
      const classes = spec.classNames ? `[${spec.classNames.map(pythonString).join(', ')}]` : 'sorted(set(labels))';
      return {
        imports: ['import pandas as pd', 'from collections import Counter', 'from tensorflow.keras.utils import to_categorical'],
        code:
          `${LABELLED_WINDOWS}\n\n# data: ${data.name}\n${read}\nfeatures = ${select}.to_numpy(dtype='float32')\n` +
          `labels = raw[${column(spec.label)}].astype(str).to_numpy()\nclass_names = ${classes}\n` +
          `X, y = labelled_windows(features, labels, class_names, ${spec.steps}, ${spec.stride}, ${pythonString(spec.mixed)})\nn_features = X.shape[2]\nprint(class_names, X.shape, y.shape)`,
      };
    }
    case 'echo':
      return {
        imports: ['from random import randint, seed'],
        code:
          `${ECHO_GENERATOR}\n\n# data: ${data.name}\nseed(${spec.seed})\n` +
          `length, n_features, out_index = ${spec.length}, ${spec.features}, ${spec.index}\n` +
          `examples = [generate_example(length, n_features, out_index) for _ in range(${spec.samples})]\n` +
          `X = np.concatenate([x for x, _ in examples])\ny = np.concatenate([t for _, t in examples])\nprint(X.shape, y.shape)`,
      };
    case 'sentiment':
      return {
        imports: ['from tensorflow.keras.datasets import imdb', 'from tensorflow.keras.preprocessing.sequence import pad_sequences'],
        code:
          `# data: ${data.name}. SeqModel trains on a built-in synthetic corpus of the same shape; in Keras\n` +
          `# the course notes use the IMDB reviews (downloaded on first use).\n` +
          `max_features, maxlen = ${spec.vocab}, ${spec.maxlen}\n` +
          `(input_train, y_train), (input_test, y_test) = imdb.load_data(num_words=max_features)\n` +
          `X = pad_sequences(input_train[:${spec.samples}], maxlen=maxlen)\ny = y_train[:${spec.samples}]\nprint(X.shape, y.shape)`,
      };
  }
}

function predictCode(model: ModelInfo, data: DataInfo | undefined, predict: PredictInfo, index: number): string {
  const rows = predict.input;
  const oneFeature = rows.every((r) => r.length === 1);
  const literal = oneFeature ? `[${rows.map((r) => pythonNumber(r[0])).join(', ')}]` : pythonValue(rows);
  const shape = model.inputShape;
  const dims = shape && shape.length === 3 ? `(1, ${rows.length}, ${rows[0]?.length ?? 1})` : `(1, ${rows.length})`;
  const suffix = index === 0 ? '' : `_${index + 1}`;
  const echo = data?.spec.kind === 'echo' ? `\nprint('Predicted:', one_hot_decode(yhat${suffix}))` : '';
  return `x_input${suffix} = np.array(${literal}, dtype='float32').reshape(${dims})\nyhat${suffix} = model.predict(x_input${suffix}, verbose=0)\nprint(yhat${suffix})${echo}`;
}

function fitCode(data: DataInfo, train: TrainInfo): string {
  const s = train.settings;
  const args = [`epochs=${s.epochs}`];
  if (s.batchSize !== 32) args.push(`batch_size=${s.batchSize}`);
  if (s.validationSplit > 0) args.push(`validation_split=${pythonNumber(s.validationSplit)}`);
  if (!s.shuffle) args.push('shuffle=False');
  args.push('verbose=2');
  const evaluate =
    data.spec.kind === 'echo'
      ? `\n\n# evaluate on fresh examples, as the LSTMs lecture does\ncorrect = 0\nfor _ in range(100):\n    X_new, y_new = generate_example(length, n_features, out_index)\n    yhat = model.predict(X_new, verbose=0)\n    correct += one_hot_decode(yhat) == one_hot_decode(y_new)\nprint('Accuracy: %.f%%' % correct)`
      : '';
  return `history = model.fit(X, y, ${args.join(', ')})${evaluate}`;
}

/** The Python script for one model of the analysis; throws for an unknown model name. */
export function exportKeras(analysis: Analysis, modelName: string, options: KerasExportOptions = {}): string {
  const model = analysis.models.find((m) => m.name === modelName);
  if (!model) throw new Error(`No model named '${modelName}'.`);
  const train = analysis.trains.find((t) => t.models.includes(modelName));
  const data = train ? analysis.data.find((d) => d.name === train.data) : undefined;
  const predicts = analysis.predicts.filter((p) => p.model === modelName);

  const classes = modelClasses(model);
  const optimizer = train && data ? optimizerExpression(train.settings.optimizer) : null;
  const data_ = data ? dataCode(data) : null;
  const imports = ['import numpy as np', ...(data_?.imports ?? [])];
  const cells = cellExport(classes.layers);
  const seeded = train?.settings.seed !== null && train?.settings.seed !== undefined;
  if (seeded && !cells.imports.includes('import tensorflow as tf')) imports.push('import tensorflow as tf');
  imports.push('from tensorflow.keras.models import Sequential');
  imports.push(`from tensorflow.keras.layers import ${cells.kerasLayers.join(', ')}`);
  for (const [kind, names] of classes.objects) imports.push(`from tensorflow.keras.${kind}s import ${names.join(', ')}`);
  imports.push(...cells.imports);
  if (optimizer?.className) imports.push(`from tensorflow.keras.optimizers import ${optimizer.className}`);

  const out: string[] = [];
  out.push(
    `# ${model.name}: exported from ${options.fileName ?? 'a .seqmodel file'} by SeqModel Studio.\n` +
      `# ${formatCount(model.params.total)} parameters. Runs with TensorFlow 2 (tf.keras).`,
  );
  out.push(imports.join('\n'));
  out.push(...cells.classes);
  if (train?.settings.seed !== null && train?.settings.seed !== undefined) out.push(`tf.keras.utils.set_random_seed(${train.settings.seed})`);
  if (data_) out.push(data_.code);

  // The first layer carries the input shape, as the course notebooks write it, unless it already does;
  // Keras takes None for a length of any size: input_shape=(None, 6).
  const first = model.layers[0];
  const needsShape = first && model.inputShape && !('input_shape' in first.config) && first.category !== 'embedding';
  const layerLines = model.layers.map((layer, i) =>
    `model.add(${layerCall(layer, i === 0 && needsShape ? { input_shape: model.inputShape!.slice(1) } : {})})`,
  );
  out.push(`# define model\nmodel = Sequential()\n${layerLines.join('\n')}`);

  if (train && data) {
    const s = train.settings;
    const metrics = s.metrics.length ? `, metrics=${pythonValue(s.metrics)}` : '';
    out.push(`model.compile(optimizer=${optimizer!.code}, loss=${pythonString(s.loss)}${metrics})\nmodel.summary()`);
    out.push(`# fit model\n${fitCode(data, train)}`);
  } else if (train) {
    out.push(`model.summary()\n# The data '${train.data}' of ${model.name}'s train block has errors: fix them to export compile and fit.`);
  } else {
    out.push(`model.summary()\n# No train block names ${model.name}: add one to the .seqmodel file to export compile and fit.`);
  }
  if (predicts.length) out.push(`# demonstrate prediction\n${predicts.map((p, i) => predictCode(model, data, p, i)).join('\n')}`);
  return `${out.join('\n\n')}\n`;
}
