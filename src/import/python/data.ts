import { argument, type Reader } from './reader';
import type { PyExpr } from './syntax';
import { dslRows, dslString, ImportProblem, numberRows, type Const, type DataShape, type Val } from './values';

// The data recipes of the course material and of Export to Keras, as .seqmodel data sources:
//   split_sequence(literal list or CSV column, steps, horizon) → window(...)
//   [generate_example(length, n_features, out_index) for _ in range(n)] → echo(...)
//   imdb.load_data(num_words=v) + pad_sequences(x, maxlen=m)           → sentiment(...)
//   labelled_windows(features, labels, class_names, steps, stride, mixed) → window(csv(..., label=...), ...)
// plus the numpy calls around them that keep the values (array, reshape, astype).

type Call = Extract<PyExpr, { k: 'call' }>;

/** The samples of the IMDB training and test splits. */
const IMDB_SAMPLES = 25000;

/** A literal array from a constant: one sample (steps × features) or a batch of them. */
export function arrayFrom(value: Const): Val | null {
  const rows = numberRows(value);
  if (rows) return { k: 'array', rows, batch: null };
  if (Array.isArray(value) && value.length > 0) {
    const batch = value.map(numberRows);
    if (batch.every((b): b is number[][] => b !== null)) return { k: 'array', rows: batch[0], batch };
  }
  return null;
}

/** x.reshape(...) on a literal array: the dims decide steps × features (and the batch). */
export function reshapeArray(v: Extract<Val, { k: 'array' }>, call: Call, r: Reader): Val {
  // reshape((1, 3, 1)) and reshape(1, 3, 1) alike.
  const dimsExpr: PyExpr = call.args.length === 1 ? call.args[0] : { k: 'tuple', items: call.args, from: call.from, to: call.to };
  const dims = r.eval(dimsExpr);
  const flat = (v.batch ?? [v.rows]).flat(2);
  if (dims.k !== 'const' || !Array.isArray(dims.value) || !dims.value.every((d) => typeof d === 'number')) return { k: 'unknown', why: 'the reshape dimensions are not constants' };
  const shape = dims.value as number[];
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = shape.map((d) => (d === -1 ? flat.length / known : d));
  if (resolved.reduce((a, b) => a * b, 1) !== flat.length) return { k: 'unknown', why: `cannot reshape ${flat.length} values to (${shape.join(', ')})` };
  const chunk = (values: number[], size: number) => Array.from({ length: values.length / size }, (_, i) => values.slice(i * size, (i + 1) * size));
  if (resolved.length === 3) {
    const [b, s, f] = resolved;
    const batch = chunk(flat, s * f).map((sample) => chunk(sample, f));
    return { k: 'array', rows: batch[0], batch: b >= 1 ? batch : null };
  }
  if (resolved.length === 2) {
    const [a, b] = resolved;
    // (1, n): one sample of n steps (an Embedding's ids); (n, f): a series of n steps.
    if (a === 1) return { k: 'array', rows: flat.map((x) => [x]), batch: [flat.map((x) => [x])] };
    return { k: 'array', rows: chunk(flat, b), batch: null };
  }
  return { k: 'array', rows: flat.map((x) => [x]), batch: null };
}

/** split_sequence(sequence, steps[, horizon[, target]]): the X and Y of a window. */
export function splitSequence(call: Call, r: Reader): Val {
  const [seqArg, stepsArg, horizonArg, targetArg] = call.args;
  if (!seqArg || !stepsArg) throw new ImportProblem('split_sequence needs a sequence and a number of steps', call);
  const seq = r.eval(seqArg);
  const steps = r.constDsl(stepsArg, 'the number of steps');
  const stepsValue = r.eval(stepsArg);
  const horizon = horizonArg ? `, horizon=${r.constDsl(horizonArg, 'the number of steps to predict')}` : '';
  let series: string;
  let features: number | null;
  let base = 'series';
  if (seq.k === 'array' && !seq.batch) {
    series = dslRows(seq.rows);
    features = seq.rows[0].length;
    if (targetArg) {
      const t = r.eval(targetArg);
      if (!(t.k === 'const' && t.value === 0)) throw new ImportProblem('a window over a literal series forecasts its first feature (target 0)', targetArg);
    }
  } else if (seq.k === 'const') {
    const a = arrayFrom(seq.value);
    if (!a || a.k !== 'array' || a.batch) throw new ImportProblem('the sequence is not a list of numbers', seqArg);
    series = dslRows(a.rows);
    features = a.rows[0].length;
  } else if (seq.k === 'csv') {
    const target = targetArg ? [`target=${r.constDsl(targetArg, 'the target column')}`] : [];
    const args = [seq.args[0], ...(seq.columns ? [`columns=${seq.columns}`] : []), ...target, ...seq.args.slice(1)];
    series = `csv(${args.join(', ')})`;
    features = seq.columnCount;
    base = seq.base;
  } else {
    throw new ImportProblem(`the sequence ${r.source(seqArg)} is not a literal list or a CSV file the importer can follow${seq.k === 'unknown' && seq.why ? ` (${seq.why})` : ''}`, seqArg);
  }
  const ref = r.draft.addData(base, `window(${series}, steps=${steps}${horizon})`);
  const shape: DataShape = { dims: [steps, features === null ? null : String(features)], values: [stepsValue.k === 'const' && typeof stepsValue.value === 'number' ? stepsValue.value : null, features] };
  return { k: 'tuple', items: [{ k: 'data', ref, part: 'X', shape }, { k: 'data', ref, part: 'Y', shape: { dims: [], values: [] } }] };
}

/**
 * labelled_windows(features, labels, class_names, n_steps, stride, mixed), as Export to Keras
 * writes it: windows of a CSV file's feature columns classified by its label column.
 */
export function labelledWindowsData(call: Call, r: Reader): Val {
  const [featuresArg, labelsArg, classesArg, stepsArg, strideArg, mixedArg] = call.args;
  if (!featuresArg || !labelsArg || !classesArg || !stepsArg || !strideArg || !mixedArg) {
    throw new ImportProblem('labelled_windows needs features, labels, class_names, n_steps, stride and mixed', call);
  }
  const features = r.eval(featuresArg);
  const labels = r.eval(labelsArg);
  if (features.k !== 'csv') throw new ImportProblem(`the features ${r.source(featuresArg)} are not columns of a CSV file the importer can follow`, featuresArg);
  if (labels.k !== 'csvColumn') throw new ImportProblem(`the labels ${r.source(labelsArg)} are not a column of a CSV file the importer can follow`, labelsArg);
  // sorted(set(labels)): the classes found in the file, which is the data source's default.
  const found = classesArg.k === 'call' && classesArg.callee.k === 'name' && classesArg.callee.name === 'sorted';
  const classes = found ? [] : [`class_names=${r.constDsl(classesArg, 'class_names')}`];
  const steps = r.constDsl(stepsArg, 'the number of steps');
  const stepsValue = r.eval(stepsArg);
  const csvArgs = [features.args[0], ...(features.columns ? [`columns=${features.columns}`] : []), `label=${labels.column}`, ...classes, ...features.args.slice(1)];
  const ref = r.draft.addData(
    features.base,
    `window(csv(${csvArgs.join(', ')}), steps=${steps}, stride=${r.constDsl(strideArg, 'the stride')}, mixed=${r.constDsl(mixedArg, 'mixed')})`,
  );
  const count = features.columnCount;
  const shape: DataShape = { dims: [steps, count === null ? null : String(count)], values: [stepsValue.k === 'const' && typeof stepsValue.value === 'number' ? stepsValue.value : null, count] };
  return { k: 'tuple', items: [{ k: 'data', ref, part: 'X', shape }, { k: 'data', ref, part: 'Y', shape: { dims: [], values: [] } }] };
}

/** [generate_example(length, n_features, out_index) for _ in range(n)]: echo samples. */
export function echoExamples(element: Call, iter: PyExpr, r: Reader, seed: string | null): Val | null {
  if (iter.k !== 'call' || iter.callee.k !== 'name' || iter.callee.name !== 'range' || iter.args.length !== 1) return null;
  const samples = r.constDsl(iter.args[0], 'the number of examples');
  const args = ['length', 'n_features', 'out_index'].map((n, i) => {
    const a = argument(element, n, i);
    if (!a) throw new ImportProblem(`generate_example needs ${n}`, element);
    return r.constDsl(a, n);
  });
  return { k: 'echo', samples, args, seed, part: null };
}

/** np.concatenate of the X (or Y) of every echo example: the echo data source. */
export function echoData(v: Extract<Val, { k: 'echo' }>, r: Reader): Val {
  if (!v.part) return { k: 'unknown', why: 'concatenate the X or the y of the examples' };
  const [length, features, index] = v.args;
  const seed = v.seed ? `, seed=${v.seed}` : '';
  const ref = r.draft.addData('echoes', `echo(samples=${v.samples}, length=${length}, features=${features}, index=${index}${seed})`);
  return { k: 'data', ref, part: v.part, shape: { dims: [length, features], values: [null, null] } };
}

/** imdb.load_data(num_words=v): ((x_train, y_train), (x_test, y_test)). */
export function imdbLoad(call: Call, r: Reader): Val {
  const words = argument(call, 'num_words');
  const vocab = words ? r.constDsl(words, 'num_words') : '10000';
  const split = (): Val => ({ k: 'tuple', items: [{ k: 'imdb', part: 'X', vocab, samples: String(IMDB_SAMPLES) }, { k: 'imdb', part: 'Y', vocab, samples: String(IMDB_SAMPLES) }] });
  return { k: 'tuple', items: [split(), split()] };
}

/** pad_sequences(x, maxlen=m) of IMDB word ids: the sentiment data source's X. */
export function padSequences(call: Call, r: Reader): Val {
  const x = call.args[0] ? r.eval(call.args[0]) : null;
  if (x?.k !== 'imdb' || x.part !== 'X') return { k: 'unknown', why: 'pad_sequences of something other than imdb.load_data' };
  const maxlenArg = argument(call, 'maxlen', 1);
  if (!maxlenArg) throw new ImportProblem('pad_sequences needs maxlen= for a fixed length', call);
  const maxlen = r.constDsl(maxlenArg, 'maxlen');
  const ref = r.draft.addData('reviews', `sentiment(samples=${x.samples}, vocab=${x.vocab}, maxlen=${maxlen})`);
  return { k: 'data', ref, part: 'X', shape: { dims: [maxlen], values: [null] } };
}

/** pd.read_csv(path, header=None, sep=';'). */
export function readCsv(call: Call, r: Reader): Val {
  const path = call.args[0] ?? argument(call, 'filepath_or_buffer');
  const p = path && r.eval(path);
  if (!p || p.k !== 'const' || typeof p.value !== 'string') return { k: 'unknown', why: 'the CSV path is not a string literal' };
  const args = [dslString(p.value)];
  const header = argument(call, 'header');
  if (header) {
    const h = r.eval(header);
    if (h.k === 'const' && h.value === null) args.push('header=False');
    else if (!(h.k === 'const' && h.value === 0)) throw new ImportProblem('header= other than 0 or None', header);
  }
  const sep = argument(call, 'sep') ?? argument(call, 'delimiter');
  if (sep) args.push(`delimiter=${r.constDsl(sep, 'the delimiter')}`);
  const base = p.value.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'series';
  return { k: 'csv', args, columns: null, columnCount: null, base };
}
