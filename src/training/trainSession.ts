// One training run inside the worker process: backend, data, model, fit with streamed
// progress, predictions, and the saved run. Kept apart from worker.ts (the IPC glue) so the
// procedure reads top to bottom.

import * as tf from './tf';
import { BackendUnavailableError, initBackend } from './backend';
import { BuildError, buildModel } from './build';
import { historyKey, makeLoss, makeOptimizer, planMetrics, SettingsError } from './compileSettings';
import { type ArrayData, type Dataset, sampleCount } from './data/dataset';
import { DataError } from './data/errors';
import type { FileAccess } from './data/fileAccess';
import { loadData } from './data/load';
import { validationSplit } from './data/validationSplit';
import { checkDataFitsModel } from './dataShapes';
import { UnsupportedError } from './keras-names';
import { saveModelFiles } from './modelFiles';
import { evaluate } from './evaluation';
import { type FitHooks, fitLoop } from './fitLoop';
import { predictOne } from './predict';
import {
  type EpochProgress,
  type ErrorMessage,
  type Evaluation,
  type FinalMessage,
  type History,
  PROGRESS_INTERVAL_MS,
  type PredictionResult,
  type StartMessage,
  type StoppedMessage,
  type WorkerMessage,
} from './protocol';
import { type RunMeta, saveRun } from './runStore';
import { seedMathRandom } from './seededMath';
import { kernelThreadCounts } from './fused/parallel';
import { describeTrainingLoop, describeTrainingPaths, type LayerTrainingPath, withKernelThreads } from './trainingPaths';
import { wholeModelFit, wholeModelPredict } from './wholeModel/loop';
import { planWholeModel, type WholeModelPlan } from './wholeModel/plan';
import { yieldToEventLoop } from './yieldToEventLoop';

/**
 * Where a session gets its backend and its data. The worker process uses the defaults (tfjs-node,
 * wasm or cpu; files on disk); the playground's Web Worker brings the browser's backends and the
 * files the user gave the page.
 */
export interface SessionEnvironment {
  initBackend(preference: StartMessage['backend']): Promise<{ name: string }>;
  loadData(spec: StartMessage['data']['spec'], access: FileAccess): Promise<Dataset>;
}

const NODE_ENVIRONMENT: SessionEnvironment = { initBackend, loadData: (spec, access) => loadData(spec, access) };

/** How often the event loop gets a turn during fitting, so a stop message is read promptly. */
const YIELD_EVERY_MS = 25;

interface Divergence {
  epoch: number;
  batch: number | null;
  what: string;
  value: number;
  /** Found in an epoch cut short by a stop (no batch number known). */
  partial?: boolean;
}

export class TrainingSession {
  private stopRequested = false;
  private readonly history: History = {};
  private epochsDone = 0;
  private fitSeconds = 0;
  /** Epochs finished but not yet sent, and when epochs were last sent (see sendEpoch). */
  private unsentEpochs: EpochProgress[] = [];
  private lastEpochsSent = -Infinity;
  /** What the saved run's meta.json needs, known once training has begun. */
  private started: { at: Date; backend: string; samples: { train: number; validation: number }; params: number; paths: LayerTrainingPath[] } | null = null;

  constructor(
    private readonly start: StartMessage,
    private readonly send: (message: WorkerMessage) => void,
    private readonly environment: SessionEnvironment = NODE_ENVIRONMENT,
  ) {}

  /** Stops at the end of the current batch. */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** Runs to the end and returns the final message (it never throws). */
  async run(): Promise<FinalMessage> {
    let final: FinalMessage;
    try {
      final = await this.train();
    } catch (err) {
      final = this.failure(err);
    }
    return final.type === 'error' ? this.recordFailure(final) : final;
  }

  private async train(): Promise<FinalMessage> {
    const { model, data, settings, source } = this.start;
    const startedAt = new Date();
    if (settings.seed !== null) seedMathRandom(settings.seed);

    const backend = await this.environment.initBackend(this.start.backend);
    if (this.stopRequested) return this.stopped();

    const dataset = await this.environment.loadData(data.spec, {
      baseDir: this.start.baseDir,
      workspaceFolder: this.start.workspaceFolder,
      allowOutside: this.start.allowOutside,
    });
    if (this.stopRequested) return this.stopped();

    const tfModel = buildModel(model, { seed: settings.seed });
    if (tfModel.outputs.length > 1) {
      throw new BuildError(
        `Model '${model.name}' has ${tfModel.outputs.length} outputs (return_state=True); it cannot be trained on one target.`,
        model.name,
        null,
      );
    }
    checkDataFitsModel(tfModel, dataset, { model: model.name, data: data.name, loss: settings.loss });
    const split = validationSplit(dataset, settings.validationSplit);
    const plan = planMetrics(settings.metrics);
    tfModel.compile({ optimizer: makeOptimizer(settings.optimizer), loss: makeLoss(settings.loss), metrics: plan.metrics });

    // The whole-model loop where the model allows it (wholeModel/plan.ts), else fitLoop's.
    const whole = planWholeModel(tfModel, settings);
    const samples = { train: sampleCount(split.train.x), validation: split.validation ? sampleCount(split.validation.x) : 0 };
    const loop = describeTrainingLoop('plan' in whole ? { path: 'whole-model' } : { path: 'tfjs', reason: whole.reason });
    const paths = [loop, ...describeTrainingPaths(model)];
    this.started = { at: startedAt, backend: backend.name, samples, params: tfModel.countParams(), paths };
    const classes = dataset.classNames ? { classes: dataset.classNames } : {};
    this.send({ type: 'ready', backend: backend.name, samples, params: tfModel.countParams(), paths, ...classes });

    const threadsBefore = kernelThreadCounts();
    const divergence = await this.fit(tfModel, 'plan' in whole ? whole.plan : null, split.train, split.validation, plan.rename);
    const threadsAfter = kernelThreadCounts();
    const splitCalls = threadsAfter.split - threadsBefore.split;
    paths[0] = withKernelThreads(loop, { split: splitCalls, calls: splitCalls + threadsAfter.single - threadsBefore.single });
    if (divergence) return this.diverged(divergence);
    // The stop is honoured: tell the parent, which then lets the worker save what it trained.
    if (this.stopRequested) this.send({ type: 'stopping' });
    // A batch can turn the weights NaN while its own loss (computed before the update) is
    // still finite: such a model is never saved.
    if (!weightsAreFinite(tfModel)) {
      const partial = this.stopRequested && this.epochsDone < settings.epochs;
      return this.diverged({ epoch: partial ? this.epochsDone + 1 : this.epochsDone, batch: null, what: 'weights', value: NaN, partial });
    }

    const predictions: PredictionResult[] = this.start.predicts
      .filter((p) => p.model === model.name)
      .map((p) => predictOne(tfModel, p.input));
    if (this.stopRequested) return this.stoppedRun(tfModel, predictions);
    // The prediction panel's figures are a bonus: a failure here must not fail the run.
    let evaluation: Evaluation | null = null;
    try {
      // On the whole-model path's forward pass where it trained (the same outputs, far cheaper).
      const predict = 'plan' in whole ? (x: ArrayData) => wholeModelPredict(whole.plan, x, settings.batchSize) : undefined;
      evaluation = evaluate(tfModel, data.spec, dataset, split.validation, predict);
    } catch {
      evaluation = null;
    }

    const saved = await this.save({ status: 'done' }, predictions, tfModel);
    const runPath = saved.runPath ?? null;
    const saveError = saved.saveError;
    return {
      type: 'done',
      history: this.history,
      predictions,
      backend: backend.name,
      epochs: this.epochsDone,
      seconds: this.fitSeconds,
      paths,
      runPath,
      ...(saveError ? { saveError } : {}),
      ...(evaluation ? { evaluation } : {}),
    };
  }

  /**
   * Fits (on the whole-model path when planned, else with fitLoop), streaming progress; returns
   * where the loss stopped being finite, if it did.
   */
  private async fit(
    tfModel: tf.LayersModel,
    whole: WholeModelPlan | null,
    train: Dataset,
    validation: Dataset | null,
    rename: Record<string, string>,
  ): Promise<Divergence | null> {
    const { settings } = this.start;
    const epochs = settings.epochs;
    const batchSize = settings.batchSize;
    const batchRate = this.start.batchRate ?? 10;
    const batchInterval = batchRate > 0 ? 1000 / batchRate : Infinity;

    // The whole-model path reads the data's arrays as they are; fitLoop needs tensors.
    const xs = whole ? null : tf.tensor(train.x.values, train.x.shape, 'float32');
    const ys = whole ? null : tf.tensor(train.y.values, train.y.shape, 'float32');
    const val = validation && !whole
      ? ([tf.tensor(validation.x.values, validation.x.shape, 'float32'), tf.tensor(validation.y.values, validation.y.shape, 'float32')] as [tf.Tensor, tf.Tensor])
      : undefined;

    // Keras's order: loss, the metrics as listed, then the same with val_.
    const names = ['loss', ...settings.metrics];
    const order = [...names, ...names.map((m) => `val_${m}`)];
    const kerasOrder = (key: string): number => (order.includes(key) ? order.indexOf(key) : order.length);

    let divergence: Divergence | null = null;
    let lastBatchSent = 0;
    let lastYield = performance.now();
    const began = performance.now();
    const seconds = (): number => (performance.now() - began) / 1000;
    const maybeYield = (): Promise<void> | void => {
      if (performance.now() - lastYield < YIELD_EVERY_MS) return;
      return yieldToEventLoop().then(() => {
        lastYield = performance.now();
      });
    };

    try {
      const options = { epochs, batchSize, shuffle: settings.shuffle };
      const hooks: FitHooks = {
        shouldStop: () => this.stopRequested || divergence !== null,
        afterBatch: (epoch, batch, batches, loss) => {
          if (!Number.isFinite(loss)) {
            divergence ??= { epoch, batch, what: 'loss', value: loss };
            return;
          }
          const now = performance.now();
          if (now - lastBatchSent >= batchInterval && batches > 1) {
            lastBatchSent = now;
            this.flushEpochs();
            this.send({ type: 'batch', epoch, batch, batches, loss, seconds: (now - began) / 1000 });
          }
          return maybeYield();
        },
        afterEpoch: (epoch, logs) => {
          if (divergence) return;
          const entries = Object.entries(logs).sort(([a], [b]) => kerasOrder(historyKey(a, rename)) - kerasOrder(historyKey(b, rename)));
          // Only the losses decide: a metric may be undefined for a batch (precision with no
          // positive prediction) without the weights being broken.
          const bad = entries.find(([k, v]) => (k === 'loss' || k === 'val_loss') && !Number.isFinite(v));
          if (bad) {
            divergence = { epoch, batch: null, what: historyKey(bad[0], rename), value: bad[1] };
            return;
          }
          const metrics: Record<string, number> = {};
          for (const [key, value] of entries) {
            const name = historyKey(key, rename);
            (this.history[name] ??= []).push(value);
            if (name !== 'loss' && name !== 'val_loss') metrics[name] = value;
          }
          this.epochsDone = epoch;
          this.fitSeconds = seconds();
          this.sendEpoch({ type: 'epoch', epoch, epochs, loss: logs.loss, valLoss: logs.val_loss ?? null, metrics, seconds: this.fitSeconds });
          return maybeYield();
        },
      };
      if (whole) await wholeModelFit(whole, train, validation, options, hooks);
      else await fitLoop(tfModel, xs!, ys!, val ?? null, options, hooks);
    } finally {
      this.fitSeconds = seconds();
      this.flushEpochs();
      tf.dispose([...(xs ? [xs] : []), ...(ys ? [ys] : []), ...(val ?? [])]);
    }
    return divergence;
  }

  /**
   * Every epoch reaches the loss panel, but not one message each: epochs that end within
   * PROGRESS_INTERVAL_MS of the last message wait and go together (the first goes at once).
   */
  private sendEpoch(progress: EpochProgress): void {
    this.unsentEpochs.push(progress);
    if (performance.now() - this.lastEpochsSent >= PROGRESS_INTERVAL_MS) this.flushEpochs();
  }

  private flushEpochs(): void {
    const list = this.unsentEpochs;
    if (list.length === 0) return;
    this.unsentEpochs = [];
    this.lastEpochsSent = performance.now();
    this.send(list.length === 1 ? list[0] : { type: 'epochs', list });
  }

  /** Stopped before any epoch could finish (or before training began): nothing to save. */
  private stopped(): FinalMessage {
    return { type: 'stopped', history: this.history, epochs: this.epochsDone, seconds: this.fitSeconds };
  }

  /** Stopped by the user during fitting: saved like a finished run, with status 'stopped'. */
  private async stoppedRun(tfModel: tf.LayersModel, predictions: PredictionResult[]): Promise<StoppedMessage> {
    const message: StoppedMessage = { type: 'stopped', history: this.history, epochs: this.epochsDone, seconds: this.fitSeconds };
    if (this.epochsDone === 0) return message;
    return { ...message, ...(await this.save({ status: 'stopped' }, predictions, tfModel)) };
  }

  /** A failed run keeps its record (history, error, settings; no model) once an epoch was done. */
  private async recordFailure(error: ErrorMessage): Promise<ErrorMessage> {
    if (this.epochsDone === 0) return error;
    const { kind, message, hint, file, line } = error;
    const saved = await this.save(
      {
        status: 'failed',
        error: { kind, message, ...(hint !== undefined ? { hint } : {}), ...(file !== undefined ? { file } : {}), ...(line !== undefined ? { line } : {}) },
      },
      [],
      null,
    );
    return { ...error, ...saved };
  }

  /**
   * Saves the run (atomically: see runStore.ts) with the model when one is given. Never throws:
   * a run that cannot be saved says why.
   */
  private async save(
    outcome: Pick<RunMeta, 'status' | 'error'>,
    predictions: PredictionResult[],
    tfModel: tf.LayersModel | null,
  ): Promise<{ runPath?: string; saveError?: string }> {
    const started = this.started;
    if (this.start.runsDir === null || started === null) return {};
    const { model, data, settings, source } = this.start;
    try {
      const runPath = await saveRun({
        runsDir: this.start.runsDir,
        record: {
          meta: {
            ...outcome,
            model: model.name,
            ...(source !== undefined ? { source } : {}),
            data: data.name,
            settings,
            backend: started.backend,
            seconds: this.fitSeconds,
            epochs: this.epochsDone,
            samples: started.samples,
            params: started.params,
            paths: started.paths,
            startedAt: started.at.toISOString(),
            finishedAt: new Date().toISOString(),
            versions: { tfjs: tf.version.tfjs, node: process.version },
          },
          history: this.history,
          predictions,
        },
        ...(tfModel ? { writeModel: (folder: string) => saveModelFiles(tfModel, folder) } : {}),
      });
      return { runPath };
    } catch (err) {
      return { saveError: `The run could not be saved: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  private diverged(d: Divergence): ErrorMessage {
    const where = d.batch !== null ? `in epoch ${d.epoch}, batch ${d.batch}` : d.partial ? `in epoch ${d.epoch}` : `at the end of epoch ${d.epoch}`;
    const became = Number.isNaN(d.value) ? 'NaN' : 'infinite';
    return {
      type: 'error',
      kind: 'nan',
      message: `Training diverged: the ${d.what} became ${became} ${where}. The weights are no longer usable, so training stopped.`,
      hint:
        'Lower the learning rate (e.g. adam(learning_rate=0.0001)), or scale the data to small values ' +
        '(divide by the largest value, or standardise); large targets such as 10..90 with a high learning rate often diverge.',
      history: this.history,
    };
  }

  private failure(err: unknown): ErrorMessage {
    const message = err instanceof Error ? err.message : String(err);
    const base = { type: 'error' as const, history: this.history };
    if (err instanceof DataError) {
      return { ...base, kind: 'data', message, ...(err.file ? { file: err.file } : {}), ...(err.line ? { line: err.line } : {}) };
    }
    if (err instanceof BuildError || err instanceof SettingsError || err instanceof UnsupportedError) {
      return { ...base, kind: 'build', message };
    }
    if (err instanceof BackendUnavailableError) {
      return { ...base, kind: 'build', message, hint: "Choose another backend, or 'auto' to use the first that works." };
    }
    if (isOutOfMemory(err)) {
      return {
        ...base,
        kind: 'oom',
        message: `Out of memory: ${message}`,
        hint: 'Use a smaller batch_size, fewer samples or a smaller model.',
      };
    }
    return {
      ...base,
      kind: 'internal',
      message: err instanceof Error && err.stack ? err.stack.split('\n').slice(0, 4).join('\n') : message,
      hint: 'This looks like a bug in SeqModel Studio or TensorFlow.js; please report it with the .seqmodel file.',
    };
  }
}

/** Whether every weight of the model is a finite number (read in JavaScript: any backend). */
function weightsAreFinite(model: tf.LayersModel): boolean {
  for (const weight of model.getWeights()) {
    const values = weight.dataSync();
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  }
  return true;
}

/** Allocation failures that JavaScript can still catch (typed arrays, wasm memory growth). */
export function isOutOfMemory(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /out of memory|allocation failed|Invalid typed array length|Array buffer allocation|Cannot enlarge memory/i.test(message);
}
