import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';

// Where the worker processes and their TensorFlow.js packages are. The workers are bundles in
// dist/ (scripts/build.mjs) that leave @tensorflow/* external, so Node resolves them from the
// extension's own node_modules: the repository's when run from source
// (extensionDevelopmentPath), the .vsix's copy when installed (see .vscodeignore).

export interface RuntimePaths {
  trainingWorker: string;
  predictWorker: string;
}

export function runtimePaths(extensionUri: vscode.Uri): RuntimePaths {
  const dist = path.join(extensionUri.fsPath, 'dist');
  return { trainingWorker: path.join(dist, 'worker.js'), predictWorker: path.join(dist, 'predict.js') };
}

/** Why training cannot start in this installation, or null. */
export function runtimeProblem(extensionPath: string): string | null {
  const dist = path.join(extensionPath, 'dist');
  if (!existsSync(path.join(dist, 'worker.js'))) return `The training worker is missing (${path.join(dist, 'worker.js')}): build the extension with npm run build.`;
  // Resolved as the worker will resolve it: from dist/ upwards.
  for (const pkg of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']) {
    try {
      require.resolve(`${pkg}/package.json`, { paths: [dist] });
    } catch {
      return `TensorFlow.js (${pkg}) is not installed next to the extension (${extensionPath}): run npm install, or reinstall the extension.`;
    }
  }
  return null;
}
