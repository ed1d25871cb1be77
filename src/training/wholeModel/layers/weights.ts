// A Weight of the whole-model path made from the tfjs variable it mirrors: its values copied
// out once when training starts (the loop writes them back at the end), and a gradient array
// of the same size that lives as long as the layer, so no batch allocates one.
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import type { Weight } from '../layer';

export function weightOf(variable: LayerVariable): Weight {
  const values = new Float32Array(variable.read().dataSync());
  return { variable, values, grad: new Float32Array(values.length), trainable: variable.trainable };
}
