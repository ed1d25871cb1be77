import * as vscode from 'vscode';
// Type only: training/backend.ts loads tfjs, which must never load in the extension host.
import type { BackendPreference } from '../../training/backendPreference';

const BACKENDS: readonly string[] = ['auto', 'node', 'wasm', 'cpu'] satisfies BackendPreference[];

function isBackendPreference(value: string): value is BackendPreference {
  return BACKENDS.includes(value);
}

// The settings training reads (package.json contributes.configuration): the backend, an epoch
// count that overrides the train blocks' (quick tries, tests), whether runs are saved, and the
// threads the recurrent kernels may use.

export interface TrainingSettings {
  backend: BackendPreference;
  epochsOverride: number;
  saveRuns: boolean;
  /**
   * 0 (the default): the recurrent kernels split a large enough batch over two threads where
   * there is a second core and the split measures faster; 1: one thread; 2: as 0, asked for.
   */
  threads: 0 | 1 | 2;
}

/**
 * The training worker's environment for these settings: the threads setting travels as the
 * SEQMODEL_THREADS variable the worker reads (src/training/fused/threadHost.ts), which a CLI
 * user sets directly.
 */
export function workerEnvironment(settings: TrainingSettings): NodeJS.ProcessEnv {
  return settings.threads === 0 ? {} : { SEQMODEL_THREADS: String(settings.threads) };
}

export function trainingSettings(scope?: vscode.Uri): TrainingSettings {
  const config = vscode.workspace.getConfiguration('seqmodel', scope);
  const backend = config.get<string>('training.backend', 'auto');
  const epochs = config.get<number>('training.epochsOverride', 0);
  return {
    backend: isBackendPreference(backend) ? backend : 'auto',
    epochsOverride: Number.isInteger(epochs) && epochs > 0 ? epochs : 0,
    saveRuns: config.get<boolean>('training.saveRuns', true),
    threads: threadsSetting(config.get<number>('training.threads', 0)),
  };
}

function threadsSetting(value: number): 0 | 1 | 2 {
  return value === 1 || value === 2 ? value : 0;
}
