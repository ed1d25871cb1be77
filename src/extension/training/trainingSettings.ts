import * as vscode from 'vscode';
// Type only: training/backend.ts loads tfjs, which must never load in the extension host.
import type { BackendPreference } from '../../training/backendPreference';

const BACKENDS: readonly string[] = ['auto', 'node', 'wasm', 'cpu'] satisfies BackendPreference[];

function isBackendPreference(value: string): value is BackendPreference {
  return BACKENDS.includes(value);
}

// The settings training reads (package.json contributes.configuration): the backend, an epoch
// count that overrides the train blocks' (quick tries, tests), and whether runs are saved.

export interface TrainingSettings {
  backend: BackendPreference;
  epochsOverride: number;
  saveRuns: boolean;
}

export function trainingSettings(scope?: vscode.Uri): TrainingSettings {
  const config = vscode.workspace.getConfiguration('seqmodel', scope);
  const backend = config.get<string>('training.backend', 'auto');
  const epochs = config.get<number>('training.epochsOverride', 0);
  return {
    backend: isBackendPreference(backend) ? backend : 'auto',
    epochsOverride: Number.isInteger(epochs) && epochs > 0 ? epochs : 0,
    saveRuns: config.get<boolean>('training.saveRuns', true),
  };
}
