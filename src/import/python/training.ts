import { lookupObject, objectNames, shortName, type ObjectSpec } from '../../language';
import { LOSSES, METRICS } from '../../language';
import { argument, type Reader } from './reader';
import { calleeName, type PyExpr } from './syntax';
import { dslRows, dslString, ImportProblem, type ModelBuild, type Val } from './values';

// compile(...), fit(...) and predict(...) as a train block and predict statements. Keras's
// defaults are the language's (epochs 1, batch_size 32, shuffle True), so only what the
// Python sets is written, except epochs, which a reader of the train block expects to see.

type Call = Extract<PyExpr, { k: 'call' }>;

/** Keras's loss classes (keras.losses.MeanSquaredError()) by the names the language uses. */
const LOSS_CLASSES: Record<string, string> = {
  MeanSquaredError: 'mse',
  MeanAbsoluteError: 'mae',
  MeanAbsolutePercentageError: 'mape',
  MeanSquaredLogarithmicError: 'msle',
  Huber: 'huber',
  LogCosh: 'log_cosh',
  BinaryCrossentropy: 'binary_crossentropy',
  CategoricalCrossentropy: 'categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  Hinge: 'hinge',
};

/** Keras 2's old spelling of learning_rate. */
const OPTIMIZER_ALIASES: Record<string, string> = { lr: 'learning_rate' };

/** An optimizer's entry in the engine's table of Keras objects, by class or string name. */
function optimizerSpec(name: string): ObjectSpec | undefined {
  const spec = lookupObject(name) ?? lookupObject(name.toLowerCase());
  return spec?.kind === 'optimizer' ? spec : undefined;
}

/** Adam(learning_rate=0.01), keras.optimizers.SGD(0.1, momentum=0.9) → adam(learning_rate=0.01). */
export function optimizerCall(call: Call, r: Reader): Val | null {
  const spec = optimizerSpec(calleeName(call.callee) ?? '');
  if (!spec) return null;
  const name = shortName(spec.className);
  const specs = spec.args;
  const parts: string[] = [];
  call.args.forEach((a, i) => {
    const spec = specs.filter((s) => s.positional)[i];
    if (!spec) throw new ImportProblem(`${calleeName(call.callee)} takes one positional argument (learning_rate)`, a);
    parts.push(`${spec.name}=${r.constDsl(a, spec.name)}`);
  });
  for (const kw of call.kwargs) {
    const key = OPTIMIZER_ALIASES[kw.name] ?? kw.name;
    if (!specs.some((s) => s.name === key)) {
      r.warn(kw.value, `${calleeName(call.callee)}: ${kw.name}=${r.source(kw.value)} is not an optimizer setting SeqModel knows; dropped.`);
      continue;
    }
    parts.push(`${key}=${r.constDsl(kw.value, key)}`);
  }
  return { k: 'optimizer', dsl: parts.length ? `${name}(${parts.join(', ')})` : dslString(name) };
}

function optimizerSetting(e: PyExpr, r: Reader): string {
  const v = e.k === 'call' ? (optimizerCall(e, r) ?? r.eval(e)) : r.eval(e);
  if (v.k === 'optimizer') return v.dsl;
  const spec = v.k === 'const' && typeof v.value === 'string' ? optimizerSpec(v.value) : undefined;
  if (spec) return dslString(shortName(spec.className));
  throw new ImportProblem(`the optimizer ${r.source(e)} is not one SeqModel trains with (${objectNames('optimizer', true).join(', ')})`, e);
}

function lossSetting(e: PyExpr, r: Reader): string {
  if (e.k === 'call') {
    const name = calleeName(e.callee) ?? '';
    if (LOSS_CLASSES[name] && e.args.length === 0 && e.kwargs.length === 0) return dslString(LOSS_CLASSES[name]);
  }
  const v = r.eval(e);
  if (v.k === 'const' && typeof v.value === 'string' && LOSSES[v.value]) return dslString(v.value);
  throw new ImportProblem(`the loss ${r.source(e)} is not one SeqModel trains with`, e);
}

function metricsSetting(e: PyExpr, r: Reader): string | null {
  const items = e.k === 'list' || e.k === 'tuple' ? e.items : [e];
  const kept: string[] = [];
  for (const item of items) {
    const v = r.eval(item);
    if (v.k === 'const' && typeof v.value === 'string' && METRICS[v.value]) kept.push(dslString(v.value));
    else r.warn(item, `the metric ${r.source(item)} is not one SeqModel reports; dropped.`);
  }
  return kept.length ? `[${kept.join(', ')}]` : null;
}

/** model.compile(optimizer=..., loss=..., metrics=...): remembered until the model is fitted. */
export function compile(build: ModelBuild, call: Call, r: Reader): void {
  const settings: [string, string][] = [];
  const read = (name: string, index: number, f: (e: PyExpr) => string | null) => {
    const e = argument(call, name, index);
    if (!e) return;
    try {
      const dsl = f(e);
      if (dsl !== null) settings.push([name, dsl]);
    } catch (err) {
      if (!(err instanceof ImportProblem)) throw err;
      r.warn(err.at, `${err.message}; not imported.`, build.draft);
    }
  };
  read('optimizer', 0, (e) => optimizerSetting(e, r));
  read('loss', 1, (e) => lossSetting(e, r));
  read('metrics', 2, (e) => metricsSetting(e, r));
  for (const kw of call.kwargs) {
    if (['loss_weights', 'weighted_metrics', 'sample_weight_mode'].includes(kw.name)) r.warn(kw.value, `compile's ${kw.name} is not imported.`, build.draft);
  }
  build.compiled = settings;
  build.compileFrom = call.from;
}

/** Keras's fit(x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data, shuffle). */
export function fit(build: ModelBuild, call: Call, r: Reader, seed: string | null): void {
  const x = argument(call, 'x', 0);
  const y = argument(call, 'y', 1);
  const settings: [string, string][] = [...(build.compiled ?? [])];
  if (!build.compiled) r.warn(call, `${r.source(call.callee)} is called before compile(...): the train block uses the default optimizer and loss.`, build.draft);
  const epochs = argument(call, 'epochs', 3);
  settings.push(['epochs', epochs ? r.constDsl(epochs, 'epochs') : '1']);
  const batch = argument(call, 'batch_size', 2);
  if (batch) settings.push(['batch_size', r.constDsl(batch, 'batch_size')]);
  const split = argument(call, 'validation_split', 6);
  if (split) settings.push(['validation_split', r.constDsl(split, 'validation_split')]);
  const shuffle = argument(call, 'shuffle', 8);
  if (shuffle) settings.push(['shuffle', r.constDsl(shuffle, 'shuffle')]);
  if (seed) settings.push(['seed', seed]);
  for (const kw of call.kwargs) {
    if (['callbacks', 'validation_data', 'class_weight', 'sample_weight', 'initial_epoch', 'steps_per_epoch', 'validation_steps', 'validation_freq'].includes(kw.name)) {
      r.warn(kw.value, `fit's ${kw.name}=${r.source(kw.value)} is not imported.`, build.draft);
    }
  }
  const xv = x ? r.eval(x) : null;
  const yv = y ? r.eval(y) : null;
  build.settingsUsed = true;
  const sameData = xv?.k === 'data' && xv.part === 'X' && ((yv?.k === 'data' && yv.ref === xv.ref && yv.part === 'Y') || (yv?.k === 'imdb' && yv.part === 'Y'));
  if (!sameData || xv?.k !== 'data') {
    const why = [xv, yv].find((v) => v?.k === 'unknown' && v.why) as { why: string } | undefined;
    const settingsText = settings.map(([k, v]) => `${k} = ${v}`).join(', ');
    r.warn(call, `${r.source(call).split('\n')[0]} trains on data the importer cannot describe${why ? ` (${why.why})` : ''}: add a data source and a train block (${settingsText}).`, build.draft);
    return;
  }
  r.draft.trains.push({ models: [build.draft.ref], data: xv.ref, settings });
}

/** model.predict(literal array): one predict statement per sample. */
export function predict(build: ModelBuild, call: Call, r: Reader): void {
  const x = argument(call, 'x', 0);
  const v = x ? r.eval(x) : null;
  if (v?.k !== 'array') {
    const why = v?.k === 'unknown' && v.why ? ` (${v.why})` : '';
    r.warn(call, `${r.source(call)} predicts on values computed by Python${why}: a predict statement needs a literal input.`, build.draft);
    return;
  }
  for (const sample of v.batch ?? [v.rows]) r.draft.predicts.push({ model: build.draft.ref, input: dslRows(sample) });
}
