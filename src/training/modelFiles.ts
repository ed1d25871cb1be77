// A trained tfjs model as files: model.json (topology, training config, weights manifest) and
// weights.bin, the layout tf.loadLayersModel('file://...') reads with tfjs-node. Written with
// our own IO handler because the file:// handler only exists in tfjs-node, which may not load.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from './tf';
// A built model may hold our custom layers (Keras's GRU with reset_after=True, causal Conv1D,
// ...): importing them registers them with tfjs, which loading needs.
import './layers';
import { writeFileDurably } from './runStore';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export function fileSaveHandler(folder: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology ?? {},
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
    };
    if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
    if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
    await writeFileDurably(path.join(folder, WEIGHTS_FILE), new Uint8Array(weights));
    await writeFileDurably(path.join(folder, MODEL_FILE), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

export function fileLoadHandler(folder: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(await fs.readFile(path.join(folder, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths).map(async (p) => {
            const bytes = await fs.readFile(path.join(folder, p));
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
          }),
        );
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/** Saves a model's files into a folder (used inside runStore.saveRun's temporary folder). */
export async function saveModelFiles(model: tf.LayersModel, folder: string): Promise<void> {
  await model.save(fileSaveHandler(folder));
}

/** The trained model of a saved run. */
export function loadRunModel(runPath: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(runPath));
}
