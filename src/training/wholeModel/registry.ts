// Which tfjs layer classes have a whole-model counterpart: one entry per class name
// (layer.getClassName()), each in a file of its own under layers/. A model trains on the
// whole-model path only when every one of its layers is here and accepts its configuration.
import { FUSED_KINDS } from '../fused/layers';
import type { LayerFactory } from './layer';
import { activationFactory } from './layers/activation';
import { batchNormalizationFactory } from './layers/batch-normalization';
import { bidirectionalFactory } from './layers/bidirectional';
import { conv1dFactory } from './layers/conv1d';
import { denseFactory } from './layers/dense';
import { dropoutFactory } from './layers/dropout';
import { embeddingFactory } from './layers/embedding';
import { flattenFactory } from './layers/flatten';
import { layerNormalizationFactory } from './layers/layer-normalization';
import { maskingFactory } from './layers/masking';
import { averagePooling1dFactory, globalAveragePooling1dFactory, globalMaxPooling1dFactory, globalPoolingKeepdimsFactory, maxPooling1dFactory } from './layers/pooling';
import { recurrentFactory } from './layers/recurrent';
import { repeatVectorFactory } from './layers/repeat-vector';
import { reshapeFactory } from './layers/reshape';
import { timeDistributedFactory } from './layers/time-distributed';

/** For the wrappers: their inner layers' factories, looked up when a model is planned. */
const lookup = (className: string): LayerFactory | undefined => LAYER_FACTORIES.get(className);

export const LAYER_FACTORIES = new Map<string, LayerFactory>([
  ['Dense', denseFactory],
  ['Flatten', flattenFactory],
  ['Dropout', dropoutFactory],
  ['Activation', activationFactory],
  ...[...FUSED_KINDS.keys()].map((className): [string, LayerFactory] => [className, recurrentFactory]),
  ['Embedding', embeddingFactory],
  ['BatchNormalization', batchNormalizationFactory],
  ['LayerNormalization', layerNormalizationFactory],
  ['Masking', maskingFactory],
  ['Reshape', reshapeFactory],
  ['RepeatVector', repeatVectorFactory],
  ['Bidirectional', bidirectionalFactory(lookup)],
  ['TimeDistributed', timeDistributedFactory(lookup)],
  ['SeqModelConv1D', conv1dFactory],
  ['MaxPooling1D', maxPooling1dFactory],
  ['AveragePooling1D', averagePooling1dFactory],
  ['GlobalMaxPooling1D', globalMaxPooling1dFactory],
  ['GlobalAveragePooling1D', globalAveragePooling1dFactory],
  ['SeqModelGlobalPooling1DKeepdims', globalPoolingKeepdimsFactory],
]);
