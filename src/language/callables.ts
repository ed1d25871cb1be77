import { DATA_SOURCES, SERIES_SOURCES } from './dataAnalysis';
import { lookupLayer } from './layers/registry';
import { lookupObject } from './kerasObjects';
import type { ArgSpec, ObjectKind } from './layers/spec';

// Every callable name of the language and the arguments it takes, whatever its role (layer,
// data source, series, optimizer, input), so completion, signature help and argument hovers
// treat all calls alike. Layer names are CapitalCase and the others lower case, but for the
// classes of initializers, regularizers and constraints (L2, RandomNormal), whose names no
// layer has.

export type CallableKind = 'layer' | 'input' | 'data' | 'series' | 'optimizer' | ObjectKind;

export interface Callable {
  name: string;
  kind: CallableKind;
  args: ArgSpec[];
  /** One line for completion lists and signature help. */
  summary: string;
}

const INPUT_DIMS: ArgSpec[] = [{ name: 'dims', type: { t: 'shape' }, positional: true, required: true, doc: 'The shape of one sample, one argument per dimension: input(steps, features).' }];
const INPUT_KERAS: ArgSpec[] = [
  { name: 'shape', type: { t: 'shape' }, positional: true, doc: 'Shape of one sample, without the batch: (steps, features).' },
  { name: 'batch_size', type: { t: 'int', min: 1, nullable: true }, default: null },
  { name: 'name', type: { t: 'string', nullable: true }, default: null },
  { name: 'batch_shape', type: { t: 'shape' } },
];

const DATA_SUMMARIES: Record<string, string> = {
  window: "Cuts a series into samples: every run of `steps` values followed by the next `horizon` (the course notebooks' split_sequence).",
  echo: 'The echo problem: one-hot random integers; the label is the one at `index`.',
  sentiment: 'A built-in synthetic sentiment corpus of word ids, for Embedding models.',
  csv: 'A series read from a CSV file, relative to this file; wrap it in window(...).',
  sine: 'A noisy sine wave series; wrap it in window(...).',
};

export function callable(name: string): Callable | undefined {
  const layer = lookupLayer(name);
  if (layer) return { name: layer.name, kind: 'layer', args: layer.args, summary: layer.summary };
  const object = lookupObject(name);
  if (object) return { name, kind: object.kind, args: object.args, summary: `${object.summary} Keras's ${object.className} ${object.kind}.` };
  if (name === 'input') return { name, kind: 'input', args: INPUT_DIMS, summary: "Declares the model's input: the shape of one sample, without the batch." };
  if (name === 'Input') return { name, kind: 'input', args: INPUT_KERAS, summary: "Keras's Input(shape=(steps, features)): the model's input." };
  if (Object.hasOwn(DATA_SOURCES, name)) return { name, kind: 'data', args: DATA_SOURCES[name], summary: DATA_SUMMARIES[name] ?? '' };
  if (Object.hasOwn(SERIES_SOURCES, name)) return { name, kind: 'series', args: SERIES_SOURCES[name], summary: DATA_SUMMARIES[name] ?? '' };
  return undefined;
}

export function argSpecs(name: string): ArgSpec[] | undefined {
  return callable(name)?.args;
}
