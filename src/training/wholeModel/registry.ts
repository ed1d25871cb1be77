// Which tfjs layer classes have a whole-model counterpart: one entry per class name
// (layer.getClassName()), each in a file of its own under layers/. A model trains on the
// whole-model path only when every one of its layers is here and accepts its configuration.
import type { LayerFactory } from './layer';

export const LAYER_FACTORIES = new Map<string, LayerFactory>([
]);
