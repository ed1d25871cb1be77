// The backends' names as users write them (setting `seqmodel.training.backend`, CLI `--backend`),
// apart from backend.ts so that checking a name loads no TensorFlow.js: the CLI's process and
// the extension host validate it; only the workers load tfjs.

/** What the user may ask for. */
export type BackendPreference = 'auto' | 'node' | 'wasm' | 'cpu';
/** A backend that can actually run, in the same vocabulary. */
export type BackendName = 'node' | 'wasm' | 'cpu';

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'node', 'wasm', 'cpu'];

export function isBackendPreference(value: string): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly string[]).includes(value);
}
