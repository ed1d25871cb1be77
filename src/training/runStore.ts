// The record of every training run: <workspace>/.seqmodel/runs/<model>/<timestamp>/ holding
// meta.json (status, settings, backend, seconds, ...), history.json, predictions.json and the
// trained model (model.json + weights.bin; a failed run has none). A run is written into a hidden temporary folder beside its
// final place and renamed into place only when every file is on disk: rename is atomic within
// a file system, so a crash at any moment leaves either a whole run or no run (plus, at worst,
// a hidden temporary folder that the next save clears away).
//
// No tfjs here: listing and reading runs must stay cheap for the editor. The model's files
// are written by a callback (see modelFiles.ts).

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TrainSettings } from '../language';
import type { ErrorKind, History, PredictionResult } from './protocol';
import type { LayerTrainingPath } from './trainingPaths';

/**
 * How a saved run ended: trained every epoch, stopped by the user (the model as trained so
 * far), or failed (NaN loss, ...; no model). Records written before runs had a status are done.
 */
export type SavedRunStatus = 'done' | 'stopped' | 'failed';

export interface RunMeta {
  /** Absent in records saved before stopped and failed runs were kept: read as 'done'. */
  status?: SavedRunStatus;
  /** Why a failed run failed. */
  error?: { kind: ErrorKind; message: string; hint?: string; file?: string; line?: number };
  model: string;
  /** The .seqmodel file trained from, relative to the workspace folder ('/'-separated). Absent in runs saved before it was kept. */
  source?: string;
  data: string;
  settings: TrainSettings;
  /** The backend that ran: 'node', 'wasm' or 'cpu'. */
  backend: string;
  /** Seconds spent fitting. */
  seconds: number;
  /** Epochs trained (fewer than settings.epochs when stopped). */
  epochs: number;
  samples: { train: number; validation: number };
  params: number;
  /** Per recurrent layer: the path that trained it and why. Absent in runs saved before it was kept. */
  paths?: LayerTrainingPath[];
  startedAt: string;
  finishedAt: string;
  /** Versions that produced the run, for reading old runs later. */
  versions: Record<string, string>;
}

export interface RunRecord {
  meta: RunMeta;
  history: History;
  predictions: PredictionResult[];
}

export interface SavedRun extends RunRecord {
  /** The run's folder. */
  path: string;
  /** The folder's name: the run's timestamp. */
  id: string;
  /** Whether the folder holds a trained model (model.json). */
  hasModel: boolean;
  /** meta.status, 'done' for records that have none. */
  status: SavedRunStatus;
  /** Pinned by the user: kept by retention (see runRetention.ts). */
  pinned: boolean;
}

export interface SaveRunOptions {
  /** The runs folder, <workspace>/.seqmodel/runs. */
  runsDir: string;
  record: RunRecord;
  /** Writes the trained model's files into the given (temporary) folder. */
  writeModel?: (folder: string) => Promise<void>;
  /** When the run finished (defaults to now); names the folder. */
  date?: Date;
}

const TEMP_PREFIX = '.tmp-';
/**
 * A pinned run holds this (empty) file. A marker beside the records rather than a field in
 * meta.json: pinning never rewrites a record, so it cannot half-write one, and it goes with
 * the folder when the run is moved or deleted.
 */
const PIN_FILE = '.pinned';
const MODEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** <runsDir>/<model>, refusing names that could reach elsewhere in the file system. */
export function modelRunsDir(runsDir: string, model: string): string {
  if (!MODEL_NAME.test(model)) throw new Error(`'${model}' is not a model name (letters, digits and _).`);
  return path.join(runsDir, model);
}

/** A folder name that sorts in time order and is valid on every file system (no colons). */
export function runId(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}

/** Saves a run atomically; returns the run's final folder. */
export async function saveRun(options: SaveRunOptions): Promise<string> {
  const { record } = options;
  const parent = modelRunsDir(options.runsDir, record.meta.model);
  await fs.mkdir(parent, { recursive: true });
  await removeAbandonedTemps(parent);

  const id = runId(options.date ?? new Date());
  const temp = path.join(parent, `${TEMP_PREFIX}${id}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  await fs.mkdir(temp);
  try {
    await writeJson(path.join(temp, 'meta.json'), record.meta);
    await writeJson(path.join(temp, 'history.json'), record.history);
    await writeJson(path.join(temp, 'predictions.json'), record.predictions);
    if (options.writeModel) await options.writeModel(temp);
    return await renameIntoPlace(temp, parent, id);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/** Writes a file and flushes it to disk, so the rename never publishes unwritten data. */
export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileDurably(file, `${JSON.stringify(value, null, 1)}\n`);
}

/** Two runs finishing in the same millisecond get -1, -2, ... rather than overwriting. */
async function renameIntoPlace(temp: string, parent: string, id: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = path.join(parent, attempt === 0 ? id : `${id}-${attempt}`);
    try {
      // rename() onto an existing empty folder would succeed on POSIX: check first; the
      // ENOTEMPTY/EEXIST branch covers the race between check and rename.
      await fs.access(target).then(
        () => {
          throw Object.assign(new Error('exists'), { code: 'EEXIST' });
        },
        () => undefined,
      );
      await fs.rename(temp, target);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
    }
  }
  throw new Error(`Could not find a free folder name for run ${id} in ${parent}.`);
}

/** Temporary folders of processes that are gone: left by a crash mid-save. */
async function removeAbandonedTemps(parent: string): Promise<void> {
  const entries = await fs.readdir(parent).catch(() => [] as string[]);
  for (const name of entries) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const pid = Number(/-(\d+)-[a-z0-9]+$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      await fs.rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Told about each folder listing skips, with why: the caller logs it. */
export type SkipReporter = (folder: string, why: string) => void;

/**
 * A folder under the runs folder that is not a readable run. `broken`: a run's folder whose
 * records are missing, unreadable or half-written (a run saved by hand, a disk that filled);
 * `foreign`: a folder no run can be (a name no model can have, or no meta.json at all).
 */
export interface RunProblem {
  kind: 'broken' | 'foreign';
  folder: string;
  /** The model folder it is in, when it is in one. */
  model?: string;
  why: string;
}

export interface RunsScan {
  /** Newest first. */
  runs: SavedRun[];
  problems: RunProblem[];
}

/**
 * Every run of one model, or of every model, newest first, and every folder that is not a
 * run, with why: one foreign or broken folder must never hide the others.
 */
export async function scanRuns(runsDir: string, model?: string): Promise<RunsScan> {
  const models = model ? [model] : await visibleEntries(runsDir);
  const runs: SavedRun[] = [];
  const problems: RunProblem[] = [];
  for (const m of models) {
    if (!MODEL_NAME.test(m)) {
      problems.push({ kind: 'foreign', folder: path.join(runsDir, m), why: 'not a model name (letters, digits and _)' });
      continue;
    }
    const dir = modelRunsDir(runsDir, m);
    for (const id of await visibleEntries(dir)) {
      const folder = path.join(dir, id);
      try {
        runs.push(await loadRun(folder));
      } catch (e) {
        const hasMeta = await exists(path.join(folder, 'meta.json'));
        problems.push({ kind: hasMeta ? 'broken' : 'foreign', folder, model: m, why: hasMeta ? `not a readable run (${(e as Error).message})` : 'no meta.json: not a saved run' });
      }
    }
  }
  runs.sort(newestFirst);
  return { runs, problems };
}

/** Sort order of runs: the latest finished first; the same moment by folder name, latest first. */
export function newestFirst(a: SavedRun, b: SavedRun): number {
  return a.meta.finishedAt < b.meta.finishedAt ? 1 : a.meta.finishedAt > b.meta.finishedAt ? -1 : b.id.localeCompare(a.id);
}

/** The runs of scanRuns, each skipped folder reported to `onSkip`. */
export async function listRuns(runsDir: string, model?: string, onSkip: SkipReporter = () => undefined): Promise<SavedRun[]> {
  const { runs, problems } = await scanRuns(runsDir, model);
  for (const p of problems) onSkip(p.folder, p.why);
  return runs;
}

/** Pins or unpins a run (see PIN_FILE). */
export async function setPinned(runPath: string, pinned: boolean): Promise<void> {
  const marker = path.join(runPath, PIN_FILE);
  if (pinned) await fs.writeFile(marker, '');
  else await fs.rm(marker, { force: true });
}

function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function visibleEntries(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}

/** One run's records (not its model: see modelFiles.loadRunModel). */
export async function loadRun(runPath: string): Promise<SavedRun> {
  const read = async <T>(name: string): Promise<T> => JSON.parse(await fs.readFile(path.join(runPath, name), 'utf8')) as T;
  const [meta, history, predictions] = await Promise.all([
    read<RunMeta>('meta.json'),
    read<History>('history.json'),
    read<PredictionResult[]>('predictions.json'),
  ]);
  if (typeof meta !== 'object' || meta === null || typeof meta.model !== 'string' || typeof meta.finishedAt !== 'string' || typeof meta.settings !== 'object') {
    throw new Error('meta.json lacks model, settings or finishedAt');
  }
  const [hasModel, pinned] = await Promise.all([exists(path.join(runPath, 'model.json')), exists(path.join(runPath, PIN_FILE))]);
  const status = isStatus(meta.status) ? meta.status : 'done';
  return { meta: { ...meta, status }, history, predictions, path: runPath, id: path.basename(runPath), hasModel, status, pinned };
}

function isStatus(value: unknown): value is SavedRunStatus {
  return value === 'done' || value === 'stopped' || value === 'failed';
}
