import * as tf from '../tf';
import { constraint, initializer, regularizer } from '../keras-names';
import type { LayerBuilder } from './context';

export const Embedding: LayerBuilder = (_spec, name, a, ctx) =>
  tf.layers.embedding({
    name,
    inputDim: a.int('input_dim', 1),
    outputDim: a.int('output_dim', 1),
    // Keras's default is 'uniform' (RandomUniform(-0.05, 0.05)).
    embeddingsInitializer: initializer(a.raw('embeddings_initializer', 'uniform'), ctx.nextSeed()),
    embeddingsRegularizer: regularizer(a.raw('embeddings_regularizer')) ?? undefined,
    activityRegularizer: regularizer(a.raw('activity_regularizer')) ?? undefined,
    embeddingsConstraint: constraint(a.raw('embeddings_constraint')) ?? undefined,
    maskZero: a.bool('mask_zero', false),
    inputLength: a.optionalInt('input_length') ?? undefined,
  });
