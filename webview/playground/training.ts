// Training in the page: the model's run in a Web Worker (dist/playground/train.worker.js, the
// worker process's TrainingSession under the browser's tfjs backends), its progress in the loss
// panel and its forecasts or classifications in the prediction panel, the same webview bundles
// and messages as in VS Code. The worker (and with it tfjs and its wasm) loads on the first run.
import { csvSeriesOf, type Analysis, type DataInfo } from '../../src/language';
import { predictionsMessage } from '../../src/extension/training/predictionsView';
import { epochLogs } from '../../src/extension/training/runRecords';
import { jobProblem, trainJobs } from '../../src/training/trainPlan';
import type { BrowserStartMessage } from '../../src/training/browserProtocol';
import { isWorkerMessage, unbatched, type FinalMessage, type StartMessage, type WorkerMessage } from '../../src/training/protocol';
import type { EpochRecord } from '../protocol';
import type { PanelFrame } from './panels';

const STATUS_INTERVAL_MS = 250;
/** As the worker process: a run that ignores a stop this long is ended. */
const STOP_TIMEOUT_MS = 1500;

export interface TrainerHost {
  base: URL;
  /** The loss and prediction panels, created on the first run. */
  panels(): { loss: PanelFrame; prediction: PanelFrame };
  /** The text of a `csv(...)` data file, or undefined when the user gave none. */
  dataFile(path: string): Promise<string | undefined>;
  say(text: string, error?: boolean): void;
  /** A run began (true) or ended (false). */
  running(active: boolean): void;
}

interface ActiveRun {
  runId: string;
  name: string;
  worker: Worker;
  stopTimer?: ReturnType<typeof setTimeout>;
  ended: boolean;
  /** Epochs finished so far (for a run ended because it ignored a stop). */
  epochs: number;
  end?: (message: FinalMessage) => void;
}

export class PlaygroundTrainer {
  private active: ActiveRun | null = null;
  private lastStatus = 0;

  constructor(private readonly host: TrainerHost) {}

  get isRunning(): boolean {
    return this.active !== null;
  }

  /** Trains `modelName` of the analysed file; resolves when the run has ended. */
  async train(analysis: Analysis, modelName: string): Promise<FinalMessage | null> {
    const { say } = this.host;
    if (this.active) {
      say(`"${this.active.name}" is training: stop it first.`, true);
      return null;
    }
    const job = trainJobs(analysis, modelName)[0];
    if (!job) {
      say(`Model "${modelName}" is in no train block: add \`train ${modelName} on <data> { ... }\` to train it.`, true);
      return null;
    }
    const problem = jobProblem(analysis, job);
    if (problem) {
      say(problem, true);
      return null;
    }
    const data = analysis.data.find((d) => d.name === job.train.data)!;
    const files = await this.files(data);
    if (!files) return null;

    const runId = `${modelName}-${Date.now().toString(36)}`;
    const start: StartMessage = {
      type: 'start',
      model: job.model,
      data,
      settings: job.train.settings,
      predicts: analysis.predicts.filter((p) => p.model === modelName),
      backend: 'auto',
      baseDir: '',
      workspaceFolder: '',
      allowOutside: false,
      runsDir: null,
      batchRate: 0,
    };
    const { loss, prediction } = this.host.panels();
    const header = { runId, label: modelName, model: job.model, settings: start.settings };
    loss.post({ type: 'runStarted', ...header, backend: 'starting…' });

    const worker = new Worker(new URL('train.worker.js', this.host.base), { name: 'seqmodel-training' });
    const run: ActiveRun = { runId, name: modelName, worker, ended: false, epochs: 0 };
    this.active = run;
    this.host.running(true);
    say(`Training "${modelName}": loading TensorFlow.js…`);

    // Epochs reach the panel once per frame: a fast run must not flood the page with messages.
    let pending: EpochRecord[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      if (pending.length) loss.post({ type: 'epochs', runId, epochs: pending });
      pending = [];
    };

    const final = await new Promise<FinalMessage>((resolve) => {
      const end = (message: FinalMessage) => {
        if (run.ended) return;
        run.ended = true;
        resolve(message);
      };
      worker.addEventListener('message', (event) => {
        const message: unknown = event.data;
        if (!isWorkerMessage(message)) return;
        for (const part of unbatched(message)) {
          this.progress(part, header, start.settings.epochs, (record) => {
            run.epochs = record.epoch;
            pending.push(record);
            frame ||= requestAnimationFrame(flush);
          });
        }
        if (message.type === 'done' || message.type === 'error' || message.type === 'stopped') end(message);
      });
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        end({ type: 'error', kind: 'crashed', message: `The training worker failed: ${event.message || 'it could not be loaded'}` });
      });
      run.end = end;
      worker.postMessage({ type: 'start', start, files, wasmBase: new URL('tfjs/', this.host.base).href } satisfies BrowserStartMessage);
    });

    if (frame) cancelAnimationFrame(frame);
    flush();
    if (run.stopTimer) clearTimeout(run.stopTimer);
    worker.terminate();
    this.active = null;
    this.host.running(false);
    this.report(final, modelName, runId, data, prediction, loss);
    return final;
  }

  /** Asks the run to stop after its current batch; ends its worker if it does not in time. */
  stop(): void {
    const run = this.active;
    if (!run || run.stopTimer) return;
    run.worker.postMessage({ type: 'stop' });
    this.host.say(`Stopping "${run.name}"…`);
    run.stopTimer = setTimeout(() => run.end?.({ type: 'stopped', history: {}, epochs: run.epochs, seconds: 0 }), STOP_TIMEOUT_MS);
  }

  private progress(message: WorkerMessage, header: { runId: string; label: string; model: StartMessage['model']; settings: StartMessage['settings'] }, epochs: number, epoch: (record: EpochRecord) => void): void {
    const { loss } = this.host.panels();
    if (message.type === 'ready') {
      // As the extension does on the worker's ready: the backend and each layer's training path.
      loss.post({ type: 'runStarted', ...header, backend: message.backend, paths: message.paths });
      this.host.say(`Training "${header.label}" on the ${message.backend} backend: ${message.samples.train} training and ${message.samples.validation} validation samples, ${message.params.toLocaleString('en-US')} parameters.`);
    } else if (message.type === 'epoch') {
      epoch({ epoch: message.epoch, logs: epochLogs(message) });
      // A few status updates a second: readable, and cheap however fast epochs come.
      const now = performance.now();
      if (message.epoch === 1 || message.epoch === epochs || now - this.lastStatus >= STATUS_INTERVAL_MS) {
        this.lastStatus = now;
        this.host.say(`Training "${header.label}": epoch ${message.epoch}/${epochs}, loss ${formatNumber(message.loss)}${message.valLoss !== null ? `, val_loss ${formatNumber(message.valLoss)}` : ''}.`);
      }
    }
  }

  private report(final: FinalMessage, name: string, runId: string, data: DataInfo, prediction: PanelFrame, loss: PanelFrame): void {
    const { say } = this.host;
    if (final.type === 'done') {
      loss.post({ type: 'runEnded', runId, status: 'completed' });
      const message = predictionsMessage({ modelName: name, runId, spec: data.spec, predictions: final.predictions, evaluation: final.evaluation });
      if (message) prediction.post(message);
      // One feature per step reads as the file wrote it: [70, 80, 90].
      const answers = final.predictions.map((p) => `predict ${name} ${JSON.stringify(p.input.map((step) => (step.length === 1 ? step[0] : step)))} → ${p.error ?? formatOutput(p.output)}`);
      const last = final.history.loss?.[final.history.loss.length - 1];
      say(`"${name}" trained: ${final.epochs} epochs in ${final.seconds.toFixed(1)} s on the ${final.backend} backend, loss ${formatNumber(last)}.${answers.length ? ` ${answers.join('; ')}` : ''}`);
    } else if (final.type === 'stopped') {
      loss.post({ type: 'runEnded', runId, status: 'stopped' });
      say(`"${name}" stopped after ${final.epochs} epoch${final.epochs === 1 ? '' : 's'}.`);
    } else {
      const text = `${final.message}${final.hint ? ` ${final.hint}` : ''}`;
      loss.post({ type: 'runEnded', runId, status: 'failed', error: text });
      say(`Training "${name}" failed: ${text}`, true);
    }
  }

  /** The `csv(...)` file the data reads, as text under the path it names; null when missing. */
  private async files(data: DataInfo): Promise<Record<string, string> | null> {
    const spec = data.spec;
    const csv = csvSeriesOf(spec);
    if (!csv) return {};
    const path = csv.path;
    const text = await this.host.dataFile(path);
    if (text === undefined) {
      this.host.say(`The data "${data.name}" reads ${path}: choose that file with "Data files…" or drop it on the page, then train again.`, true);
      return null;
    }
    return { [path]: text };
  }
}

function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 0.01 ? value.toFixed(4) : value.toExponential(3);
}

function formatOutput(output: unknown): string {
  // One sample's output: round for reading, as the CLI prints it.
  return JSON.stringify(output, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value));
}
