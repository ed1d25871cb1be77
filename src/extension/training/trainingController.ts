import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatCount, formatValue, type Analysis } from '../../language';
import type { EpochProgress } from '../../training/protocol';
import { type RunOutcome, startTraining, type TrainingRun } from '../../training/runner';
import { pathLine } from '../../training/pathLine';
import { LossPanel } from '../panels/lossPanel';
import type { PanelHostDeps } from '../panels/panelHost';
import { PredictionPanel } from '../panels/predictionPanel';
import { errorReport } from './errorReport';
import { writeEvaluation } from './evaluationFile';
import { predictionsMessage } from './predictionsView';
import { epochLogs } from './runRecords';
import { runtimePaths, runtimeProblem } from './runtimePaths';
import { jobProblem, sourceOf, type TrainJob, trainingRequest } from '../../training/trainPlan';
import type { LiveRun } from '../runs/runsTree';
import { trainingSettings, workerEnvironment } from './trainingSettings';

// Runs training for the commands: one job or several in a row (Train all and compare), each in
// the worker process (training/runner.ts), with a cancellable progress notification, the loss
// panel fed live, the prediction panel filled at the end and every step in the output channel.
// One training at a time: a second Train while one runs offers to stop the first.

/** The context key that enables "Stop training" (package.json enablement). */
export const TRAINING_CONTEXT_KEY = 'seqmodel.trainingActive';

export interface TrainOptions {
  /** Overlay the runs in the loss panel (Train all and compare) rather than start afresh. */
  compare: boolean;
  /** Epochs for this call (a command argument), over the setting and the train block. */
  epochs?: number;
}

export interface TrainingSummary {
  outcomes: { model: string; outcome: RunOutcome }[];
}

interface ActiveTraining {
  run: TrainingRun | null;
  runId: string | null;
  cancelled: boolean;
  finished: Promise<TrainingSummary>;
}

export class TrainingController implements vscode.Disposable {
  private active: ActiveTraining | null = null;
  private readonly onDidChangeEmitter = new vscode.EventEmitter<void>();
  /** Fires when a training starts or ends (tests wait on it). */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private liveRun: LiveRun | null = null;
  private readonly onDidChangeLiveEmitter = new vscode.EventEmitter<LiveRun | null>();
  /** Fires as the run in progress starts, reaches its backend, ends an epoch, and ends (null). */
  readonly onDidChangeLive = this.onDidChangeLiveEmitter.event;
  private readonly savedHooks = new Set<(runPath: string) => Promise<void>>();

  constructor(private readonly deps: PanelHostDeps) {
    LossPanel.onStop = () => this.stop();
  }

  /** The run being trained now, for the Runs view. */
  get live(): LiveRun | null {
    return this.liveRun;
  }

  /** Runs `hook` (awaited) after each run is saved, before the training command returns: retention. */
  onRunSaved(hook: (runPath: string) => Promise<void>): vscode.Disposable {
    this.savedHooks.add(hook);
    return { dispose: () => this.savedHooks.delete(hook) };
  }

  get isTraining(): boolean {
    return this.active !== null;
  }

  /** The current training's end, for tests and callers that wait. */
  get finished(): Promise<TrainingSummary> | undefined {
    return this.active?.finished;
  }

  /** Asks the running worker to stop (a second call kills it). False when nothing runs. */
  stop(): boolean {
    const active = this.active;
    if (!active) return false;
    active.cancelled = true;
    this.deps.output.info('Stop requested.');
    active.run?.stop();
    return true;
  }

  async train(document: vscode.TextDocument, analysis: Analysis, jobs: TrainJob[], options: TrainOptions): Promise<TrainingSummary | undefined> {
    const output = this.deps.output;
    if (this.active) {
      const stop = 'Stop It';
      void vscode.window.showWarningMessage('SeqModel: a training run is already in progress.', stop).then((choice) => {
        if (choice === stop) this.stop();
      });
      return undefined;
    }
    if (document.isUntitled) {
      void vscode.window.showErrorMessage('SeqModel: save the file before training: data paths and runs are placed relative to it.');
      return undefined;
    }
    const problem = runtimeProblem(this.deps.context.extensionUri.fsPath);
    if (problem) {
      output.error(problem);
      void vscode.window.showErrorMessage(`SeqModel: ${problem}`);
      return undefined;
    }
    for (const job of jobs) {
      const why = jobProblem(analysis, job);
      if (why) {
        void vscode.window.showErrorMessage(`SeqModel: ${why}`);
        return undefined;
      }
    }

    let resolveFinished!: (s: TrainingSummary) => void;
    const active: ActiveTraining = { run: null, runId: null, cancelled: false, finished: new Promise((r) => (resolveFinished = r)) };
    this.active = active;
    await vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, true);
    this.onDidChangeEmitter.fire();

    const summary: TrainingSummary = { outcomes: [] };
    try {
      const loss = LossPanel.show(this.deps);
      // A fresh chart for every command: compare overlays only the runs it starts itself.
      loss.clear();
      const title = jobs.length === 1 ? `Training ${jobs[0].model.name}` : `Training ${jobs.length} models`;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `SeqModel: ${title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.stop());
          for (const [index, job] of jobs.entries()) {
            if (active.cancelled) break;
            const outcome = await this.trainOne(document, analysis, job, options, active, (message, increment) =>
              progress.report({ message: jobs.length > 1 ? `${job.model.name} (${index + 1}/${jobs.length}): ${message}` : message, increment: increment / jobs.length }),
            );
            summary.outcomes.push({ model: job.model.name, outcome });
          }
        },
      );
    } catch (err) {
      output.error(`Training failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      void vscode.window.showErrorMessage(`SeqModel: training failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.active = null;
      await vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, false);
      this.onDidChangeEmitter.fire();
      resolveFinished(summary);
    }
    if (options.compare && summary.outcomes.length > 1) this.reportComparison(summary);
    return summary;
  }

  private async trainOne(
    document: vscode.TextDocument,
    analysis: Analysis,
    job: TrainJob,
    options: TrainOptions,
    active: ActiveTraining,
    report: (message: string, increment: number) => void,
  ): Promise<RunOutcome> {
    const output = this.deps.output;
    const settings = trainingSettings(document.uri);
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(document.uri.fsPath);
    const request = trainingRequest(analysis, job, {
      documentPath: document.uri.fsPath,
      workspaceFolder: folder,
      backend: settings.backend,
      epochsOverride: options.epochs ?? settings.epochsOverride,
      allowOutside: (file) => askOutside(file),
      save: settings.saveRuns,
      // A few batch updates a second keep the progress notification moving on long epochs.
      batchRate: 4,
    });
    const name = job.model.name;
    const epochs = request.settings.epochs;
    const runId = `${name}-${Date.now().toString(36)}`;
    const loss = LossPanel.show(this.deps);
    loss.startRun({ runId, label: name, model: job.model, backend: settings.backend, settings: request.settings });
    this.setLive({ folder, source: sourceOf(folder, document.uri.fsPath), model: name, epoch: 0, epochs, logs: {}, backend: null, startedAt: new Date().toISOString() });
    output.info(`${name}: training on '${request.data.name}' for ${epochs} epoch${epochs === 1 ? '' : 's'} (backend preference ${settings.backend}) from ${vscode.workspace.asRelativePath(document.uri)}.`);

    const run = startTraining(request, { workerPath: runtimePaths(this.deps.context.extensionUri).trainingWorker, env: workerEnvironment(settings) });
    active.run = run;
    active.runId = runId;
    // A stop asked for before the worker existed (cancel during the consent question, say).
    if (active.cancelled) run.stop();

    const logEvery = Math.max(1, Math.round(epochs / 20));
    let lastReported = 0;
    run.on('ready', (r) => {
      loss.workerReady(runId, r.backend, r.paths);
      if (this.liveRun) this.setLive({ ...this.liveRun, backend: r.backend });
      output.info(`${name}: ${r.backend} backend; ${r.samples.train} training and ${r.samples.validation} validation samples; ${formatCount(r.params)} parameters.`);
      if (r.classes) output.info(`  classes: ${r.classes.map((c, i) => `${i} ${c}`).join(', ')}`);
      for (const p of r.paths) output.info(`  ${pathLine(p)}`);
      report(`${r.backend} backend, starting…`, 0);
    });
    run.on('progress', (p) => {
      if (p.type === 'batch') {
        report(`epoch ${p.epoch}/${epochs}, batch ${p.batch}/${p.batches}, loss ${formatValue(p.loss)}`, 0);
        return;
      }
      loss.epoch(runId, p.epoch, epochLogs(p));
      if (this.liveRun) this.setLive({ ...this.liveRun, epoch: p.epoch, logs: epochLogs(p) });
      const increment = ((p.epoch - lastReported) / epochs) * 100;
      lastReported = p.epoch;
      report(progressText(p), increment);
      if (p.epoch % logEvery === 0 || p.epoch === epochs || p.epoch === 1) output.info(`${name}: ${progressText(p)} (${p.seconds.toFixed(1)} s)`);
    });
    run.on('output', (text) => {
      for (const line of text.split('\n')) if (line.trim()) output.trace(`${name} worker: ${line}`);
    });

    const outcome = await run.result.finally(() => this.setLive(null));
    active.run = null;
    const saved = outcome.status === 'done' ? outcome.result.runPath : outcome.status === 'error' ? outcome.error.runPath : outcome.stopped.runPath;
    if (saved) await this.runSaved(saved);
    if (outcome.status === 'done') {
      const done = outcome.result;
      loss.endRun(runId, 'completed');
      const last = (k: string) => done.history[k]?.[done.history[k].length - 1];
      const figures = Object.keys(done.history)
        .map((k) => `${k} ${formatValue(last(k))}`)
        .join(', ');
      output.info(`${name}: done, ${done.epochs} epochs in ${done.seconds.toFixed(1)} s on the ${done.backend} backend; ${figures}.`);
      for (const p of done.predictions) output.info(`  predict ${name} ${JSON.stringify(p.input)}${p.error ? `: ${p.error}` : ` → ${JSON.stringify(p.output)}`}`);
      if (done.runPath) {
        output.info(`  saved to ${done.runPath}`);
        if (done.evaluation) await writeEvaluation(done.runPath, done.evaluation).catch((e: unknown) => output.warn(`  could not save the evaluation: ${String(e)}`));
      }
      if (done.saveError) output.warn(`  ${done.saveError}`);
      const message = predictionsMessage({ modelName: name, runId, spec: request.data.spec, predictions: done.predictions, evaluation: done.evaluation });
      const shown = message ? PredictionPanel.offer(message) : false;
      if (!options.compare) {
        const show = 'Show Predictions';
        const buttons = message && !shown ? [show] : [];
        void vscode.window.showInformationMessage(`SeqModel: ${name} trained: ${done.epochs} epochs in ${done.seconds.toFixed(1)} s, ${figures}.`, ...buttons).then((choice) => {
          if (choice === show) PredictionPanel.showLatest(this.deps);
        });
      }
    } else if (outcome.status === 'error') {
      const text = errorReport(name, outcome.error);
      loss.endRun(runId, 'failed', text.summary);
      output.error(text.log);
      if (outcome.error.runPath) output.info(`  its record (history, error; no model) is saved to ${outcome.error.runPath}`);
      if (outcome.error.saveError) output.warn(`  ${outcome.error.saveError}`);
      void vscode.window.showErrorMessage(`SeqModel: ${text.summary}`, 'Show Log').then((c) => c && output.show(true));
    } else {
      const s = outcome.stopped;
      loss.endRun(runId, 'stopped');
      output.info(`${name}: stopped after ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}${outcome.killed ? ' (the worker did not stop in time and was ended)' : ''}.`);
      if (s.runPath) output.info(`  saved to ${s.runPath}`);
      if (s.saveError) output.warn(`  ${s.saveError}`);
    }
    return outcome;
  }

  private setLive(live: LiveRun | null): void {
    this.liveRun = live;
    this.onDidChangeLiveEmitter.fire(live);
  }

  private async runSaved(runPath: string): Promise<void> {
    for (const hook of this.savedHooks) {
      await hook(runPath).catch((e: unknown) => this.deps.output.warn(`After saving ${runPath}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  private reportComparison(summary: TrainingSummary): void {
    const rows = summary.outcomes.map(({ model, outcome }) => {
      if (outcome.status !== 'done') return `  ${model}: ${outcome.status}`;
      const h = outcome.result.history;
      const key = h.val_loss ? 'val_loss' : 'loss';
      return `  ${model}: final ${key} ${formatValue(h[key]?.[h[key].length - 1])}`;
    });
    this.deps.output.info(`Comparison:\n${rows.join('\n')}`);
  }

  dispose(): void {
    this.stop();
    this.onDidChangeEmitter.dispose();
    this.onDidChangeLiveEmitter.dispose();
    if (LossPanel.onStop) LossPanel.onStop = undefined;
  }
}

async function askOutside(file: string): Promise<boolean> {
  const allow = 'Allow';
  const choice = await vscode.window.showWarningMessage(
    `The data file ${file} is outside the workspace. Let SeqModel read it for this run?`,
    { modal: true, detail: 'Training reads only the data file named in the .seqmodel document.' },
    allow,
  );
  return choice === allow;
}

function progressText(p: EpochProgress): string {
  const val = p.valLoss !== null ? `, val_loss ${formatValue(p.valLoss)}` : '';
  const metrics = Object.entries(p.metrics)
    .map(([k, v]) => `, ${k} ${formatValue(v)}`)
    .join('');
  return `epoch ${p.epoch}/${p.epochs}, loss ${formatValue(p.loss)}${val}${metrics}`;
}
