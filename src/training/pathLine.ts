// One training-path entry (trainingPaths.ts) as a line of text: the CLI's output, the output
// channel, the Runs view's tooltip. A file of its own because the extension host and the CLI
// process use it and must not load TensorFlow.js, which trainingPaths.ts reaches through the
// fused kernels' eligibility rules.
import type { LayerTrainingPath } from './trainingPaths';

/** "training loop: whole model" for the model's loop, "layer lstm: fused (lstm/wasm-simd)" for a layer. */
export function pathLine(entry: LayerTrainingPath): string {
  return entry.layer === '' ? entry.text : `layer ${entry.text}`;
}
