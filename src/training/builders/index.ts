// The tfjs builder of every layer the engine knows, keyed by its Keras class name (the
// registry's LayerSpec.name): each builder file exports exactly its layers' builders, named
// as the classes. A layer added to src/language/layers/registry.ts without a builder here
// fails test/unit/training-builders.test.ts.
import * as cells from './cells';
import type { LayerBuilder } from './context';
import * as convolution from './convolution';
import * as core from './core';
import * as embedding from './embedding';
import * as normalization from './normalization';
import * as recurrent from './recurrent';
import * as reshaping from './reshaping';
import * as wrappers from './wrappers';

export type { BuildContext, Layer, LayerBuilder } from './context';

export const BUILDERS: ReadonlyMap<string, LayerBuilder> = new Map(
  Object.entries({ ...recurrent, ...cells, ...core, ...embedding, ...normalization, ...convolution, ...reshaping, ...wrappers } satisfies Record<string, LayerBuilder>),
);
