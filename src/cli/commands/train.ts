import { existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, formatValue, formatValues, jsonDiagnostic, type Analysis } from '../../language';
import { BACKEND_PREFERENCES, isBackendPreference, type BackendPreference } from '../../training/backendPreference';
import type { DoneMessage, ErrorMessage, PredictionResult } from '../../training/protocol';
import { startTraining, type RunOutcome, type TrainingRun } from '../../training/runner';
import { pathLine } from '../../training/pathLine';
import type { LayerTrainingPath } from '../../training/trainingPaths';
import { jobProblem, trainingRequest, trainJobs, type TrainJob } from '../../training/trainPlan';
import { EXIT_ERRORS, EXIT_OK, jsonError, UsageError } from '../errors';
import { countErrors, formatDiagnostic } from '../format';
import { readSource, type Output } from '../io';
import { ProgressLine } from '../progress';

// `seqmodel train FILE`: trains every model of the file's train blocks (or the one named) in
// the background worker process, one after the other, then prints the predict statements'
// results. Runs are saved under ./.seqmodel/runs unless --no-save.

interface TrainOptions {
  file: string;
  model?: string;
  epochs?: number;
  backend: BackendPreference;
  json: boolean;
  save: boolean;
  allowOutside: boolean;
}

function parse(args: string[]): TrainOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      epochs: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      'no-save': { type: 'boolean', default: false },
      'allow-outside': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('train takes exactly one .seqmodel file.');
  const backend = values.backend as string;
  if (!isBackendPreference(backend)) throw new UsageError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}, not '${backend}'.`);
  let epochs: number | undefined;
  if (values.epochs !== undefined) {
    epochs = Number(values.epochs);
    if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--epochs must be a whole number of at least 1, not '${values.epochs}'.`);
  }
  return { file: positionals[0], model: values.model, epochs, backend, json: !!values.json, save: !values['no-save'], allowOutside: !!values['allow-outside'] };
}

/** What marks a project's root folder: the data boundary of a .seqmodel file inside it. */
const PROJECT_MARKERS = ['.git', 'package.json', '.seqmodel'];

/**
 * Where a .seqmodel file's data may come from without --allow-outside: the nearest folder at or
 * above the file's own that holds a project marker (.git, package.json, .seqmodel/), else the
 * file's own folder tree. Never the current folder: run from /, that would be the whole disk.
 */
export function projectRoot(fileDir: string): string {
  for (let dir = fileDir; ; dir = dirname(dir)) {
    if (PROJECT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return fileDir;
  }
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function runTrainCommand(args: string[], io: Output): Promise<number> {
  const opts = parse(args);
  const analysis = analyze(readSource(opts.file));
  for (const d of analysis.diagnostics) if (d.severity === 'error' || d.severity === 'warning') io.err(formatDiagnostic(opts.file, d, analysis));
  if (countErrors(analysis) > 0) {
    const message = `${opts.file}: fix the errors above before training.`;
    if (opts.json) io.out(jsonError('errors', message, { diagnostics: analysis.diagnostics.map((d) => jsonDiagnostic(d, analysis.lines)) }));
    io.err(message);
    return EXIT_ERRORS;
  }
  const jobs = trainJobs(analysis, opts.model);
  if (jobs.length === 0) {
    if (opts.model && analysis.models.some((m) => m.name === opts.model)) throw new UsageError(`Model '${opts.model}' is not in any train block of ${opts.file}: add 'train ${opts.model} on DATA { ... }'.`, 'model');
    if (opts.model) throw new UsageError(`${opts.file} has no model named '${opts.model}'.`, 'model');
    throw new UsageError(`${opts.file} has no train block: add 'train MODEL on DATA { epochs = 100 }'.`);
  }
  const problem = jobs.map((job) => jobProblem(analysis, job)).find((why) => why !== null);
  if (problem) {
    io.err(`${opts.file}: ${problem}`);
    return EXIT_ERRORS;
  }

  let failed = false;
  let current: TrainingRun | null = null;
  let interrupted = false;
  // Every way of ending the command is Ctrl-C: a terminal closed (SIGHUP), a `kill` or a CI
  // timeout (SIGTERM) stop the worker after its batch so the run is saved, then exit.
  const onSignal = () => {
    interrupted = true;
    current?.stop();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    for (const job of jobs) {
      if (interrupted) break;
      const outcome = await trainOne(job, analysis, opts, io, (run) => (current = run));
      if (outcome.status !== 'done') failed = true;
    }
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
  return failed || interrupted ? EXIT_ERRORS : EXIT_OK;
}

async function trainOne(job: TrainJob, analysis: Analysis, opts: TrainOptions, io: Output, onStart: (run: TrainingRun) => void): Promise<RunOutcome> {
  const file = resolve(opts.file);
  // Runs are saved under the current folder; data may come from the file's project.
  const planned = trainingRequest(analysis, job, {
    documentPath: file,
    workspaceFolder: process.cwd(),
    backend: opts.backend,
    epochsOverride: opts.epochs,
    allowOutside: opts.allowOutside,
    save: opts.save,
    batchRate: 0,
  });
  const request = { ...planned, workspaceFolder: projectRoot(dirname(file)) };
  const settings = request.settings;
  const run = startTraining(request);
  onStart(run);
  const progress = opts.json ? null : new ProgressLine(job.model.name, settings.epochs);
  // Known once the worker has built the model: a run that fails before has none.
  let paths: LayerTrainingPath[] | null = null;
  run.on('ready', (r) => {
    paths = r.paths;
    progress?.start(r.backend, r.samples.train, r.samples.validation, r.classes);
  });
  run.on('progress', (p) => {
    if (p.type === 'epoch') progress?.epoch(p.epoch, p.loss, p.valLoss, p.metrics);
  });
  const outcome = await run.result;
  progress?.end();
  if (outcome.status === 'done') report(job, outcome.result, opts, io);
  else if (outcome.status === 'error') reportError(job, outcome.error, paths, opts, io);
  else {
    const s = outcome.stopped;
    if (opts.json) {
      io.out(JSON.stringify({ model: job.model.name, status: 'stopped', epochs: s.epochs, seconds: round(s.seconds), history: s.history, paths, runPath: s.runPath ?? null }));
    } else {
      io.err(`${job.model.name}: stopped after ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}.`);
      for (const line of pathLines(paths ?? [])) io.err(line);
      if (s.runPath) io.err(`  saved to ${s.runPath}`);
      if (s.saveError) io.err(`  the run could not be saved: ${s.saveError}`);
    }
  }
  return outcome;
}

/** A prediction's input as the user wrote it: [70, 80, 90] for one feature per step. */
function userInput(p: PredictionResult): number[] | number[][] {
  return p.input.every((row) => row.length === 1) ? p.input.map((row) => row[0]) : p.input;
}

function report(job: TrainJob, done: DoneMessage, opts: TrainOptions, io: Output): void {
  const predictions = done.predictions.map((p) => ({ input: userInput(p), output: p.output, ...(p.error ? { error: p.error } : {}) }));
  if (opts.json) {
    io.out(JSON.stringify({ model: job.model.name, backend: done.backend, epochs: done.epochs, seconds: round(done.seconds), paths: done.paths, history: done.history, predictions, runPath: done.runPath }));
    return;
  }
  const last = (k: string) => done.history[k]?.[done.history[k].length - 1];
  // Keras's order: the training figures, then their val_ twins.
  const metrics = Object.keys(done.history)
    .sort((a, b) => Number(a.startsWith('val_')) - Number(b.startsWith('val_')))
    .map((k) => `${k} ${formatValue(last(k))}`)
    .join(', ');
  io.out(`${job.model.name}: ${done.epochs} epochs in ${done.seconds.toFixed(1)} s on the ${done.backend} backend; ${metrics}`);
  for (const line of pathLines(done.paths)) io.out(line);
  for (const p of predictions) {
    if (p.error) io.out(`  predict ${job.model.name} ${formatInput(p.input)}: ${p.error}`);
    else io.out(`  predict ${job.model.name} ${formatInput(p.input)} → ${p.output === null ? 'nothing' : formatValues(p.output)}`);
  }
  if (done.runPath) io.out(`  saved to ${done.runPath}`);
  if (done.saveError) io.err(`  the run could not be saved: ${done.saveError}`);
}

/** The training loop, then one line per recurrent layer: the path that trained it and why. */
function pathLines(paths: LayerTrainingPath[]): string[] {
  return paths.map((p) => `  ${pathLine(p)}`);
}

function reportError(job: TrainJob, error: ErrorMessage, paths: LayerTrainingPath[] | null, opts: TrainOptions, io: Output): void {
  if (opts.json) {
    io.out(JSON.stringify({ model: job.model.name, status: 'error', kind: error.kind, message: error.message, hint: error.hint ?? null, history: error.history ?? null, paths, runPath: error.runPath ?? null }));
    return;
  }
  // A data error's message already starts with its file and line (see errorReport.ts).
  io.err(`${job.model.name}: training failed (${error.kind}): ${error.message}`);
  if (error.hint) io.err(`  hint: ${error.hint}`);
  for (const line of pathLines(paths ?? [])) io.err(line);
  if (error.runPath) io.err(`  saved to ${error.runPath} (no model)`);
  if (error.saveError) io.err(`  the run could not be saved: ${error.saveError}`);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function formatInput(input: number[] | number[][]): string {
  return JSON.stringify(input).replace(/,/g, ', ');
}
