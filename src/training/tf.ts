// The TensorFlow.js training runs on: tfjs-core (tensors, ops, optimizers, kernels), tfjs-layers
// (Keras's models and layers) and the plain-JavaScript cpu backend, always present as the last
// fallback of 'auto' (backend.ts loads the wasm and node backends on demand). Everything under
// src/training imports TensorFlow.js from here. The all-in-one @tensorflow/tfjs would add the
// webgl backend, the converter, tfjs-data and node-fetch, none of which training uses.
import '@tensorflow/tfjs-backend-cpu';
// What @tensorflow/tfjs also registers: the gradient of every op (training needs them) and the
// chained ops (tensor.reshape(...)). Both register into tfjs's global registries.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

/** The versions in use, as @tensorflow/tfjs names them (tfjs is tfjs-core's). */
export const version = { tfjs: version_core, 'tfjs-core': version_core, 'tfjs-layers': version_layers };
