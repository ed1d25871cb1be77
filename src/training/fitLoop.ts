// The epochs-and-batches loop of a training run, in place of tfjs-layers's model.fit.
//
// Why not fit: for the small models users start with (the seed LSTM: 5 samples, one batch an
// epoch) an epoch's kernels take well under a millisecond, and fit adds as much again around
// them: a callback list with History and BaseLogger (which sums every batch's logs with tensor
// ops), promises awaited per callback per batch, an index tensor and a gather per batch even
// when one batch is the whole data. This loop keeps the data as the tensors it is given, runs
// each batch as one tidy step of the model's own train function (tfjs-layers's
// makeTrainFunction: the forward pass with training=true, the compiled loss, the regularizers,
// the metrics, optimizer.minimize — the same computation fit runs), reads the batch's loss and
// metrics once, and averages them per epoch in JavaScript, weighted by batch size as Keras does.
//
// What stays as fit does it: the sample order (tf.util.shuffle of the indices every epoch, with
// Math.random, so a seeded run draws the same numbers), the batches (the last one smaller),
// validation after the last batch in batches of the same size with the test function (no
// dropout, BatchNormalization's moving statistics), and the log names (model.metricsNames).

import * as tf from './tf';

/** An epoch's logs under tfjs's names: loss, acc, mae, ..., then val_loss, val_acc, .... */
export type EpochLogs = Record<string, number>;

export interface FitOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
}

export interface FitHooks {
  /** After each batch, with its loss; may return a promise (a yield to the event loop). */
  afterBatch(epoch: number, batch: number, batches: number, loss: number): void | Promise<void>;
  /** After each epoch whose every batch ran (never for one cut short by a stop). */
  afterEpoch(epoch: number, logs: EpochLogs): void | Promise<void>;
  /** Asked between batches and after each epoch: true ends the run there. */
  shouldStop(): boolean;
}

type StepFunction = (data: tf.Tensor[]) => tf.Scalar[];

/** The parts of a compiled LayersModel that tfjs-layers keeps to itself and fit uses. */
interface CompiledInternals {
  makeTrainFunction(): StepFunction;
  makeTestFunction(): void;
  testFunction: StepFunction;
  metricsNames: string[];
}

function internals(model: tf.LayersModel): CompiledInternals {
  // A Sequential compiles and fits the functional model it wraps.
  const inner = model instanceof tf.Sequential ? (model as unknown as { model: tf.LayersModel }).model : model;
  const m = inner as unknown as Partial<CompiledInternals>;
  if (typeof m.makeTrainFunction !== 'function' || typeof m.makeTestFunction !== 'function' || !Array.isArray(m.metricsNames)) {
    // Only a tfjs-layers upgrade that renamed its internals gets here.
    throw new Error(`This version of tfjs-layers (${tf.version.tfjs}) lacks makeTrainFunction/makeTestFunction; the training loop needs them.`);
  }
  return m as CompiledInternals;
}

/** The log names of a compiled model's loss and metrics, as fit logs them: loss, acc, mae, .... */
export function metricsNamesOf(model: tf.LayersModel): string[] {
  return internals(model).metricsNames;
}

/** Reads a step's scalars (loss, then each metric) with one read from the backend. */
function readScalars(outs: tf.Scalar[]): Float32Array {
  if (outs.length === 1) return outs[0].dataSync() as Float32Array;
  return tf.tidy(() => tf.stack(outs).dataSync() as Float32Array);
}

/**
 * What the epochs-and-batches bookkeeping needs from a way of training: this loop's tfjs steps,
 * or the whole-model path's arrays (wholeModel/loop.ts). Both share runEpochs, so the order,
 * the batches, the averaging, validation and the hooks are the same whichever trains.
 */
export interface BatchTrainer {
  /** The log names, loss first: tfjs's model.metricsNames. */
  names: string[];
  /** Training samples. */
  samples: number;
  /**
   * Trains one batch: samples order[start .. start + size) (the whole data in its own order when
   * size is every sample) and returns its loss, then each metric, in `names`' order.
   */
  trainBatch(order: number[], start: number, size: number): ArrayLike<number>;
  /** Validation samples, 0 for none. */
  validationSamples: number;
  /** Loss and metrics (training=false) of validation samples [start, start + size). */
  testBatch(start: number, size: number): ArrayLike<number>;
}

/** Trains a compiled model; x, y (and the validation pair) stay owned by the caller. */
export async function fitLoop(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  validation: [tf.Tensor, tf.Tensor] | null,
  options: FitOptions,
  hooks: FitHooks,
): Promise<void> {
  const compiled = internals(model);
  const train = compiled.makeTrainFunction();
  compiled.makeTestFunction();
  const test = compiled.testFunction;
  const n = x.shape[0];
  const run = (step: StepFunction, make: () => tf.Tensor[]): Float32Array => {
    const outs = tf.tidy(() => step(make()));
    try {
      return readScalars(outs);
    } finally {
      tf.dispose(outs);
    }
  };
  await runEpochs(
    {
      names: compiled.metricsNames,
      samples: n,
      trainBatch: (order, start, size) =>
        run(train, () => {
          // One batch holding every sample: its order changes nothing but the summation order of
          // the loss, so the data tensors serve as they are, with no gather.
          if (size === n) return [x, y];
          const ids = tf.tensor1d(order.slice(start, start + size), 'int32');
          return [tf.gather(x, ids), tf.gather(y, ids)];
        }),
      validationSamples: validation ? validation[0].shape[0] : 0,
      testBatch: (start, size) => {
        const [vx, vy] = validation!;
        return run(test, () => (size === vx.shape[0] ? [vx, vy] : [vx.slice(start, size), vy.slice(start, size)]));
      },
    },
    options,
    hooks,
  );
}

/** The epochs and batches of a run over any BatchTrainer, with fit's order, averaging and hooks. */
export async function runEpochs(trainer: BatchTrainer, options: FitOptions, hooks: FitHooks): Promise<void> {
  const names = trainer.names;
  const n = trainer.samples;
  const batchSize = Math.max(1, Math.min(options.batchSize, n));
  const batches = Math.ceil(n / batchSize);
  const order = Array.from({ length: n }, (_, i) => i);
  const sums = new Float64Array(names.length);

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    if (options.shuffle) tf.util.shuffle(order);
    sums.fill(0);
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, n - start);
      const values = trainer.trainBatch(order, start, size);
      for (let i = 0; i < names.length; i++) sums[i] += values[i] * size;
      const pending = hooks.afterBatch(epoch, b + 1, batches, values[0]);
      if (pending) await pending;
      // A stop between batches cuts the epoch short; after its last batch the epoch is whole.
      if (b < batches - 1 && hooks.shouldStop()) return;
    }
    const logs: EpochLogs = {};
    for (let i = 0; i < names.length; i++) logs[names[i]] = sums[i] / n;
    if (trainer.validationSamples > 0) {
      const val = evaluateInBatches(trainer, batchSize);
      for (let i = 0; i < names.length; i++) logs[`val_${names[i]}`] = val[i];
    }
    const pending = hooks.afterEpoch(epoch, logs);
    if (pending) await pending;
    if (hooks.shouldStop()) return;
  }
}

/** The test outputs averaged over the validation data in batches, weighted by batch size. */
function evaluateInBatches(trainer: BatchTrainer, batchSize: number): number[] {
  const n = trainer.validationSamples;
  const sums = new Array<number>(trainer.names.length).fill(0);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const values = trainer.testBatch(start, size);
    for (let i = 0; i < sums.length; i++) sums[i] += values[i] * size;
  }
  return sums.map((s) => s / n);
}
