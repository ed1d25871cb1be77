// The TensorFlow.js backend of training in a browser (the playground's Web Worker), the
// counterpart of backend.ts (which chooses among tfjs-node, wasm and cpu under Node).
//
// Order: wasm first. The recurrent models here are small (thousands to a few hundred thousand
// weights, batches of tens of samples): each step is many tiny kernels, where WebAssembly's
// low per-op cost beats webgl, whose every op is a shader dispatch and a texture round trip.
// webgl next (a GPU still helps a browser without wasm SIMD), then the pure-JS cpu backend.
// The webgl backend exists only here (the Node workers never use it); bundled into the page.
import '@tensorflow/tfjs-backend-webgl';
import * as tf from './tf';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installKernelFixes } from './kernels/install';

export type BrowserBackendName = 'wasm' | 'webgl' | 'cpu';

export interface BrowserBackendInfo {
  name: BrowserBackendName;
  /** Why each backend tried before it was skipped. */
  skipped: { name: BrowserBackendName; reason: string }[];
}

const ORDER: BrowserBackendName[] = ['wasm', 'webgl', 'cpu'];

/** Activates the first backend that works. `wasmBase`: the URL of the folder holding tfjs's .wasm files. */
export async function initBrowserBackend(wasmBase: string): Promise<BrowserBackendInfo> {
  setWasmPaths(wasmBase);
  const skipped: BrowserBackendInfo['skipped'] = [];
  for (const name of ORDER) {
    try {
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') could not initialise it`);
      await tf.ready();
      if (tf.getBackend() !== name) throw new Error(`tfjs is running '${tf.getBackend()}' instead`);
      // As under Node: kernels tfjs lacks or gets wrong on wasm and cpu (kernels/install.ts).
      installKernelFixes(name);
      return { name, skipped };
    } catch (error) {
      skipped.push({ name, reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] });
    }
  }
  throw new Error(`No TensorFlow.js backend could run here: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}
