// Which tfjs layer classes have a whole-model counterpart: one entry per class name
// (layer.getClassName()), each in a file of its own under layers/. A model trains on the
// whole-model path only when every one of its layers is here and accepts its configuration.
import type { LayerFactory } from './layer';
import { activationFactory } from './layers/activation';
import { batchNormalizationFactory } from './layers/batch-normalization';
import { denseFactory } from './layers/dense';
import { dropoutFactory } from './layers/dropout';
import { embeddingFactory } from './layers/embedding';
import { flattenFactory } from './layers/flatten';
import { recurrentFactory } from './layers/recurrent';

export const LAYER_FACTORIES = new Map<string, LayerFactory>([
  ['Dense', denseFactory],
  ['Flatten', flattenFactory],
  ['Dropout', dropoutFactory],
  ['Activation', activationFactory],
  ['SeqModelFusedSimpleRNN', recurrentFactory],
  ['SeqModelFusedLSTM', recurrentFactory],
  ['SeqModelFusedGRU', recurrentFactory],
  ['SeqModelFusedResetAfterGRU', recurrentFactory],
  ['Embedding', embeddingFactory],
  ['BatchNormalization', batchNormalizationFactory],
]);
