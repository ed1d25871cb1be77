// The starting points of "SeqModel: New Model File": one per kind of task a Keras tutorial
// starts with, each training on built-in data (no file to download), so a new user can train
// it at once. Each analyses without a diagnostic (test/unit/model-templates.test.ts checks it,
// with the exact parameter counts in the comments). Pure: no vscode.
import { numberedName } from '../numberedName';

export interface ModelTemplate {
  id: string;
  /** The quick pick's label and the new file's name stem. */
  label: string;
  description: string;
  detail: string;
  /** The file name offered for it (without .seqmodel). */
  fileStem: string;
  content: string;
  /** Not offered in the quick pick: reached by id (the walkthrough's exercise). */
  hidden?: boolean;
}

export const MODEL_TEMPLATES: readonly ModelTemplate[] = [
  {
    id: 'forecasting',
    label: 'Forecasting',
    description: 'LSTM on a window of a series',
    detail: 'Predict the next value of a noisy sine wave from the 20 before it (regression, mse).',
    fileStem: 'forecasting',
    content: `# Forecasting: predict the next values of a series from a window of the values before.
# The hints after each layer show its output shape and parameter count; hover a layer for
# the formula. Train it with the Train lens above the train block.

let steps = 20     # past values in each input window
let horizon = 1    # future values to predict

data wave = window(sine(length=500, period=50, noise=0.05, seed=1), steps=steps, horizon=horizon)

# LSTM(32) on 1 feature: 4 × (32 × (1 + 32) + 32) = 4,352 params.
model forecaster {
  input(steps, 1)
  LSTM(32)
  Dense(horizon)
}

train forecaster on wave {
  optimizer = adam(learning_rate=0.01)
  loss = "mse"
  metrics = ["mae"]
  epochs = 20
  batch_size = 32
  validation_split = 0.2
  seed = 1
}
`,
  },
  {
    id: 'classification',
    label: 'Classification',
    description: 'GRU classifying one-hot sequences',
    detail: 'The echo problem: which of 10 classes was at step 2 of a sequence of 5 (softmax, categorical crossentropy).',
    fileStem: 'classification',
    content: `# Sequence classification: each sample is 5 random integers 0-9, one-hot encoded; the label
# is the one at step 2 (the LSTMs lecture's echo problem). Many-to-one: the GRU reads the whole
# sequence, the softmax layer picks a class.

let length = 5
let n_classes = 10

data sequences = echo(samples=2000, length=length, features=n_classes, index=2, seed=1)

# GRU(32), reset_after=True as in Keras 2+: 3 × (32 × (10 + 32) + 2 × 32) = 4,224 params.
model classifier {
  input(length, n_classes)
  GRU(32)
  Dense(n_classes, activation="softmax")
}

train classifier on sequences {
  optimizer = "adam"
  loss = "categorical_crossentropy"
  metrics = ["accuracy"]
  epochs = 15
  batch_size = 32
  validation_split = 0.1
  seed = 1
}
`,
  },
  {
    id: 'text',
    label: 'Text',
    description: 'Embedding + LSTM sentiment model',
    detail: 'Word ids → Embedding → LSTM → positive/negative probability, on a built-in synthetic review corpus.',
    fileStem: 'text',
    content: `# Text classification: reviews as word ids, an Embedding turning each id into a vector, an
# LSTM reading them, a sigmoid unit for "positive". Embedding comes first without an input
# shape: its output is (None, None, 32), any review length.

let vocab = 5000    # words in the vocabulary
let maxlen = 100    # words per review

data reviews = sentiment(samples=2000, vocab=vocab, maxlen=maxlen, seed=1)

# Embedding: 5,000 × 32 = 160,000 params; LSTM(32) on 32: 4 × (32 × (32 + 32) + 32) = 8,320.
model sentiment {
  Embedding(vocab, 32)
  LSTM(32)
  Dense(1, activation="sigmoid")
}

train sentiment on reviews {
  optimizer = rmsprop
  loss = "binary_crossentropy"
  metrics = ["accuracy"]
  epochs = 5
  batch_size = 64
  validation_split = 0.2
  seed = 1
}
`,
  },
  {
    id: 'fix-shapes',
    label: 'Shape error exercise',
    description: 'two stacked LSTMs with a shape error',
    detail: 'The Getting Started walkthrough: the first LSTM passes on only its last step; the quick fix adds return_sequences=True.',
    fileStem: 'stacked',
    hidden: true,
    content: `# Two stacked LSTMs: the second needs the whole sequence from the first, but the first
# returns only its last step. Put the cursor on the red squiggle and press Ctrl+. (Cmd+. on a
# Mac), or click the light bulb: the quick fix adds return_sequences=True.

let steps = 20

data wave = window(sine(length=500, period=50, noise=0.05, seed=1), steps=steps)

model stacked {
  input(steps, 1)
  LSTM(32)
  LSTM(16)
  Dense(1)
}

train stacked on wave {
  optimizer = adam(learning_rate=0.01)
  loss = "mse"
  epochs = 20
  validation_split = 0.2
  seed = 1
}
`,
  },
];

export function modelTemplate(id: string): ModelTemplate | undefined {
  return MODEL_TEMPLATES.find((t) => t.id === id);
}

/** The first free name among stem.seqmodel, stem-2.seqmodel, ... given the names taken. */
export function freeFileName(stem: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const name = numberedName(stem, '.seqmodel', n);
    if (!taken.has(name)) return name;
  }
}
