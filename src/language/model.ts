// The analysed form of a .seqmodel document: what the language server, the CLI and the
// training code consume. Everything here is plain data (JSON-serialisable) so that it can be
// sent to the training worker process unchanged.

/** Character offsets into the document text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A dimension: a size, or null for unknown (the batch, or a sequence of any length). */
export type Dim = number | null;
/** A tensor shape including the batch dimension at index 0 (always null). */
export type Shape = Dim[];

/**
 * A resolved argument value, in Keras's own vocabulary (snake_case names, string enums).
 * A wrapped layer (Bidirectional, TimeDistributed) is a nested LayerConfig; so is an
 * initializer, regularizer or constraint written as a call, under its Keras class with every
 * argument: `l2(0.001)` is { type: 'L2', config: { l2: 0.001 } } (kerasObjects.ts).
 */
export type ConfigValue = number | string | boolean | null | ConfigValue[] | LayerConfig;

export interface LayerConfig {
  /** Keras class name: "LSTM", "Dense", "Bidirectional", ... */
  type: string;
  /** Every argument the layer takes, defaults filled in, Keras names. */
  config: Record<string, ConfigValue>;
}

export interface ParamCount {
  total: number;
  trainable: number;
  nonTrainable: number;
}

/**
 * The family a layer belongs to (its LayerSpec's): what decides, everywhere a layer kind
 * matters (return_sequences hints, Bidirectional, the diagram's colours), instead of lists of
 * class names.
 */
export type LayerCategory =
  | 'recurrent'
  | 'core'
  | 'convolution'
  | 'pooling'
  | 'normalization'
  | 'regularization'
  | 'reshaping'
  | 'embedding'
  | 'wrapper'
  /** One step of a recurrent layer (LSTMCell): only inside RNN(...) or StackedRNNCells([...]). */
  | 'cell';

export interface LayerInfo extends LayerConfig {
  /** Keras-style automatic name (lstm, dense_1, ...) or the user's name="...". */
  name: string;
  category: LayerCategory;
  /** Input shape this layer receives (with batch dim). */
  inputShape: Shape;
  /** One shape per output: several for return_state=True. */
  outputShapes: Shape[];
  params: ParamCount;
  /** The count with Keras's formula and its numbers filled in: "4 × (50 × (1 + 50) + 50) = 10,400". */
  formula: string;
  /** The wrapped layer, for Bidirectional and TimeDistributed. */
  inner?: LayerInfo;
  span: Span;
}

export interface ModelInfo {
  name: string;
  span: Span;
  nameSpan: Span;
  /** The declared input shape with batch dim, or null when unknown (Embedding first, no input). */
  inputShape: Shape | null;
  layers: LayerInfo[];
  /** Output shapes of the last layer. */
  outputShapes: Shape[];
  params: ParamCount;
  /** True when analysis found no error inside this model: shapes and counts are trustworthy. */
  valid: boolean;
}

/** A series: a sequence of time steps, each with one or more feature values. */
export type SeriesSpec =
  | { kind: 'literal'; values: number[][] }
  | {
      kind: 'csv';
      /** As written in the file; resolved against the .seqmodel file's folder. */
      path: string;
      /** Column names or 0-based indices to read as features; null for every column. */
      columns: (string | number)[] | null;
      /** The column that is forecast; null means the first feature column. */
      target: string | number | null;
      /** true, false, or null to detect a header row. */
      header: boolean | null;
      delimiter: string;
    }
  | {
      kind: 'sine';
      length: number;
      period: number;
      amplitude: number;
      noise: number;
      seed: number;
    };

/** The csv(...) series spec. */
export type CsvSeriesSpec = Extract<SeriesSpec, { kind: 'csv' }>;

/**
 * What a labelled window does when its rows carry more than one label (it spans two
 * activities): left out, or labelled by its last row or by the label most of its rows carry.
 */
export type MixedWindows = 'drop' | 'last' | 'majority';

/**
 * Windows over a CSV file's feature columns, each classified by a label column:
 * window(csv(..., label="activity"), steps=N, stride=S).
 */
export interface LabelledWindowsSpec {
  kind: 'labelledWindows';
  /** The file and its feature columns (target is unused: the label column is the target). */
  series: CsvSeriesSpec;
  /** The label column, by name or 0-based index. */
  label: string | number;
  /** The classes in output order when the file declares them; null: the labels found, sorted. */
  classNames: string[] | null;
  steps: number;
  stride: number;
  mixed: MixedWindows;
}

export type DataSpec =
  | { kind: 'window'; series: SeriesSpec; steps: number; horizon: number }
  | LabelledWindowsSpec
  | { kind: 'echo'; samples: number; length: number; features: number; index: number; seed: number }
  | { kind: 'sentiment'; samples: number; vocab: number; maxlen: number; seed: number };

export interface DataInfo {
  name: string;
  span: Span;
  nameSpan: Span;
  spec: DataSpec;
  /** Shapes of X and Y with the sample count first (null when it is only known at run time). */
  xShape: Shape;
  yShape: Shape;
  /** For a literal window: the windows themselves, as the seed prints them. */
  preview?: { x: number[][][]; y: number[][] };
}

export interface OptimizerSpec {
  /** Keras name: adam, sgd, rmsprop, adagrad, adadelta, adamax. */
  name: string;
  /** learning_rate, momentum, beta_1, ... with Keras defaults filled in. */
  args: Record<string, number | boolean>;
}

export interface TrainSettings {
  optimizer: OptimizerSpec;
  loss: string;
  metrics: string[];
  epochs: number;
  batchSize: number;
  validationSplit: number;
  shuffle: boolean;
  /** null: not reproducible, a fresh seed each run. */
  seed: number | null;
}

export interface TrainInfo {
  span: Span;
  models: string[];
  data: string;
  settings: TrainSettings;
}

export interface PredictInfo {
  span: Span;
  model: string;
  /** One input sequence: steps × features (a flat list is read as one feature per step). */
  input: number[][];
}

export interface ConstantInfo {
  name: string;
  span: Span;
  nameSpan: Span;
  value: ConfigValue;
}
