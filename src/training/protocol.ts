// The messages between the editor/CLI (parent) and the training worker process. Everything is
// plain JSON-serialisable data: the worker is a forked Node process talking over IPC.
//
// parent → worker: start, then at most one stop.
// worker → parent: ready?, progress (epochs, gathered; throttled batches) …, stopping? (a stop was
//                  honoured, the run is being saved), then exactly one of done | error |
//                  stopped, after which the worker exits.

import type { DataInfo, ModelInfo, PredictInfo, TrainSettings } from '../language';
import type { BackendPreference } from './backendPreference';
import type { LayerTrainingPath } from './trainingPaths';

export type { BackendPreference };

/** Keras-style history: loss, val_loss, and each metric under the name the user wrote. */
export type History = Record<string, number[]>;

/** A model output for one sample, nested like the output shape without the batch dimension. */
export type NestedNumbers = number | NestedNumbers[];

export interface StartMessage {
  type: 'start';
  model: ModelInfo;
  data: DataInfo;
  settings: TrainSettings;
  /** The document's predict statements for this model, run after training. */
  predicts: PredictInfo[];
  backend: BackendPreference;
  /** The .seqmodel file's folder: data paths resolve against it. */
  baseDir: string;
  /** The .seqmodel file relative to the workspace folder, '/'-separated: kept in meta.json so runs can be grouped by file. */
  source?: string;
  /** The workspace folder: reading data outside it needs `allowOutside`. */
  workspaceFolder: string;
  /** The user's consent to read data files outside the workspace (asked by the parent). */
  allowOutside: boolean;
  /** The workspace's runs folder (`<workspace>/.seqmodel/runs`); null to keep no record. */
  runsDir: string | null;
  /** Batch progress messages per second at most (0: none). */
  batchRate?: number;
}

export interface StopMessage {
  type: 'stop';
}

export type ParentMessage = StartMessage | StopMessage;

/** Once the backend is up and the data and model are ready, before the first epoch. */
export interface ReadyMessage {
  type: 'ready';
  backend: string;
  samples: { train: number; validation: number };
  params: number;
  /** Per recurrent layer: the path that trains it (fused kernel or tfjs layers) and why. */
  paths: LayerTrainingPath[];
  /** The classes in output order, when the data names them (a label column's values). */
  classes?: string[];
}

export interface EpochProgress {
  type: 'epoch';
  /** 1-based: epoch 1 is the first. */
  epoch: number;
  epochs: number;
  loss: number;
  /** null without validation data. */
  valLoss: number | null;
  /** Metrics (and val_ metrics) under Keras's names: mae, accuracy, val_accuracy, ... */
  metrics: Record<string, number>;
  /** Seconds since training started. */
  seconds: number;
}

/**
 * Consecutive epochs in one message. An epoch of a small model takes well under a millisecond:
 * the worker gathers the epochs that end within PROGRESS_INTERVAL_MS of its last message into
 * one, so the channel and the panels get a few dozen messages a second whatever the speed.
 */
export interface EpochsProgress {
  type: 'epochs';
  list: EpochProgress[];
}

/** How often at most the worker sends epoch progress, in ms. */
export const PROGRESS_INTERVAL_MS = 50;

export interface BatchProgress {
  type: 'batch';
  epoch: number;
  /** 1-based batch number within the epoch, and how many there are. */
  batch: number;
  batches: number;
  loss: number;
  seconds: number;
}

export interface PredictionResult {
  input: number[][];
  /** One output; a list of outputs for a model with several (return_state=True). */
  output: NestedNumbers | null;
  /** Why this prediction could not be made (the input does not fit the model, ...). */
  error?: string;
}

export interface DoneMessage {
  type: 'done';
  history: History;
  predictions: PredictionResult[];
  backend: string;
  /** Epochs actually trained. */
  epochs: number;
  /** Wall-clock seconds of fitting (not building or saving). */
  seconds: number;
  /** Per recurrent layer: the path that trained it and why (as in the ready message). */
  paths: LayerTrainingPath[];
  /** The saved run's folder, or null when runsDir was null or saving failed. */
  runPath: string | null;
  /** Why the run could not be saved (training itself succeeded). */
  saveError?: string;
  /** Predictions on the (validation) data for the prediction panel; absent if they failed. */
  evaluation?: Evaluation;
}

/** Forecast windows with predicted and true continuations (see evaluation.ts). */
export interface ForecastEvaluation {
  task: 'forecast';
  /** Whether the samples come from the validation split (else from the training data). */
  fromValidation: boolean;
  samples: { input: number[][]; predicted: number[]; actual: number[] }[];
}

/** Classification samples, plus every evaluated sample's true and predicted class. */
export interface ClassificationEvaluation {
  task: 'classification';
  fromValidation: boolean;
  /** Inputs as steps × features (one-hot steps as they are; word ids one per step). */
  samples: { input: number[][]; expected: number; probabilities: number[] }[];
  expected: number[];
  predicted: number[];
  /** The classes' names when the data names them (a label column's values), in output order. */
  classNames?: string[];
}

export type Evaluation = ForecastEvaluation | ClassificationEvaluation;

/**
 * Why a run failed. The worker sends nan, data, oom, build, internal; the parent adds crashed
 * for a worker that died without saying why (a native crash, a signal, the OOM killer).
 */
export type ErrorKind = 'nan' | 'data' | 'oom' | 'build' | 'internal' | 'crashed';

export interface ErrorMessage {
  type: 'error';
  kind: ErrorKind;
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** For data errors in a file: where. */
  file?: string;
  line?: number;
  /** The history up to the failure (a NaN loss is found after some epochs). */
  history?: History;
  /**
   * The failed run's record (history, error, settings; no model), saved when at least one
   * epoch was completed and runsDir was given.
   */
  runPath?: string;
  /** Why the failed run's record could not be saved. */
  saveError?: string;
}

export interface StoppedMessage {
  type: 'stopped';
  /** The history of the epochs completed before the stop. */
  history: History;
  epochs: number;
  seconds: number;
  /**
   * The saved run (history, the model as trained so far, predictions), when at least one epoch
   * was completed and runsDir was given. Absent for a worker killed because it ignored the stop.
   */
  runPath?: string;
  /** Why the stopped run could not be saved. */
  saveError?: string;
}

/**
 * The worker has honoured a stop (training is over) and is now saving the run: the parent no
 * longer kills it for ignoring the stop (a second stop still does).
 */
export interface StoppingMessage {
  type: 'stopping';
}

export type WorkerMessage = ReadyMessage | EpochProgress | EpochsProgress | BatchProgress | StoppingMessage | DoneMessage | ErrorMessage | StoppedMessage;

export type FinalMessage = DoneMessage | ErrorMessage | StoppedMessage;

export function isFinalMessage(message: WorkerMessage): message is FinalMessage {
  return message.type === 'done' || message.type === 'error' || message.type === 'stopped';
}

/** A cheap structural check of what arrives over IPC, before trusting its type. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && ['ready', 'epoch', 'epochs', 'batch', 'stopping', 'done', 'error', 'stopped'].includes(type);
}

/** A message with its gathered epochs taken apart again: what the listeners of progress see. */
export function unbatched<M extends WorkerMessage>(message: M): (Exclude<M, EpochsProgress> | EpochProgress)[] {
  return message.type === 'epochs' ? (message as EpochsProgress).list : [message as Exclude<M, EpochsProgress>];
}

export function isParentMessage(value: unknown): value is ParentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'start' || type === 'stop';
}
