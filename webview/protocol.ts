// The messages exchanged between the extension host and the three webviews (loss, prediction,
// summary). Both sides import these types so that a renamed field is a compile error, not a
// silently blank chart. Everything is plain JSON: webview messages are structured-cloned.
import type { ModelInfo, TrainSettings } from '../src/language';
import type { LayerTrainingPath } from '../src/training/trainingPaths';
import type { History } from '../src/training/protocol';
import type { RunMeta, SavedRunStatus } from '../src/training/runStore';

export type PanelKind = 'loss' | 'prediction' | 'summary' | 'compare';

/** Keras `History` logs of one epoch: loss, val_loss, and one entry per metric (acc, val_mae...). */
export type EpochLogs = Record<string, number>;

export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed';

/** One epoch of one run; `epoch` counts from 1 as Keras prints it ("Epoch 1/1000"). */
export interface EpochRecord {
  epoch: number;
  logs: EpochLogs;
}

/** A whole run, as saved under .seqmodel/runs/ and replayed by "Open run". */
export interface RunRecord {
  runId: string;
  /** Label shown in the legend; defaults to the model's name. */
  label?: string;
  model: ModelInfo;
  backend: string;
  settings: TrainSettings;
  /** Per recurrent layer: the path that trains it and why; absent until the worker says (and in old runs). */
  paths?: LayerTrainingPath[];
  status: RunStatus;
  epochs: EpochRecord[];
}

// ---- host → webview ---------------------------------------------------------------------

export interface RunStartedMessage {
  type: 'runStarted';
  runId: string;
  label?: string;
  model: ModelInfo;
  /** tfjs backend actually used: "tensorflow", "wasm", "cpu". */
  backend: string;
  settings: TrainSettings;
  /** Per recurrent layer: the path that trains it and why, once the worker has said. */
  paths?: LayerTrainingPath[];
}

export interface EpochMessage {
  type: 'epoch';
  runId: string;
  epoch: number;
  logs: EpochLogs;
}

/** Several epochs at once: a worker that reports faster than the host forwards them. */
export interface EpochBatchMessage {
  type: 'epochs';
  runId: string;
  epochs: EpochRecord[];
}

export interface RunEndedMessage {
  type: 'runEnded';
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  error?: string;
}

/** Replaces (runId already shown) or adds saved runs: "Open run", "Train all and compare". */
export interface LoadRunsMessage {
  type: 'loadRuns';
  runs: RunRecord[];
  /** true: forget every run shown before loading these. */
  replace?: boolean;
}

export interface ClearRunsMessage {
  type: 'clearRuns';
}

/** One forecast: the input window, what the model predicted next and, when known, the truth. */
export interface ForecastSample {
  /** The input window, steps × features. */
  input: number[][];
  /** The predicted continuation of the target feature, one value per horizon step. */
  predicted: number[];
  /** The true continuation, or null for a free `predict` input with no known answer. */
  actual: number[] | null;
}

export interface ForecastPredictions {
  type: 'predictions';
  task: 'forecast';
  modelName: string;
  runId?: string;
  /** Index into each input step of the feature being forecast (0 for one feature). */
  targetFeature: number;
  samples: ForecastSample[];
}

export interface ClassificationSample {
  /** The input sequence as class ids (one-hot steps already decoded by the host). */
  sequence: number[];
  /** The true class, or null when unknown. */
  expected: number | null;
  /**
   * The model's softmax output, one probability per class. A single sigmoid output p (the
   * sentiment models) is sent as [1 − p, p] so class 1 means "positive".
   */
  probabilities: number[];
}

export interface ClassificationPredictions {
  type: 'predictions';
  task: 'classification';
  modelName: string;
  runId?: string;
  /** Optional class names; class ids are shown otherwise. */
  classNames?: string[];
  samples: ClassificationSample[];
  /** Every validation sample's true and predicted class, for the confusion matrix. */
  validation?: { expected: number[]; predicted: number[] };
}

export type PredictionsMessage = ForecastPredictions | ClassificationPredictions;

export interface SummaryMessage {
  type: 'summary';
  model: ModelInfo;
}

/** A saved run as the comparison table reads it: its records and the .seqmodel file it came from. */
export interface ComparedRun {
  /** The run's folder. */
  path: string;
  /** The folder's name: the run's timestamp. */
  id: string;
  /** The workspace-relative .seqmodel file that defines the run's model, or null when none is found. */
  file: string | null;
  status: SavedRunStatus;
  meta: RunMeta;
  history: History;
}

/** The runs of the comparison table (they replace the ones shown). */
export interface CompareRunsMessage {
  type: 'compareRuns';
  runs: ComparedRun[];
}

export type HostToWebview =
  | CompareRunsMessage
  | RunStartedMessage
  | EpochMessage
  | EpochBatchMessage
  | RunEndedMessage
  | LoadRunsMessage
  | ClearRunsMessage
  | PredictionsMessage
  | SummaryMessage;

// ---- webview → host ---------------------------------------------------------------------

/** Sent once the page has set up its listeners: the host may then replay its state. */
export interface ReadyMessage {
  type: 'ready';
  panel: PanelKind;
}

/** The host shows a save dialog and writes `content` (UTF-8). */
export interface ExportCsvMessage {
  type: 'exportCsv';
  panel: PanelKind;
  suggestedName: string;
  content: string;
}

/** The host decodes the base64 data URL and writes the PNG. */
export interface ExportPngMessage {
  type: 'exportPng';
  panel: PanelKind;
  suggestedName: string;
  dataUrl: string;
}

export interface StopMessage {
  type: 'stop';
  runId: string;
}

/** A layer was clicked in the summary: the host reveals it in the editor. */
export interface RevealMessage {
  type: 'reveal';
  start: number;
  end: number;
}

/** A webview-side failure, for the output channel. */
export interface WebviewErrorMessage {
  type: 'error';
  panel: PanelKind;
  message: string;
}

/** A row of the comparison table was clicked: the host opens that run (as Open Run does). */
export interface OpenRunMessage {
  type: 'openRun';
  runPath: string;
}

export type WebviewToHost =
  | OpenRunMessage
  | ReadyMessage
  | ExportCsvMessage
  | ExportPngMessage
  | StopMessage
  | RevealMessage
  | WebviewErrorMessage;

export { isHostMessage, isWebviewMessage } from './messageCheck';
