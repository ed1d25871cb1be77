// Chooses the TensorFlow.js backend that training runs on, and says which one it chose so
// every output (CLI, JSON lines, the webview) can name it.
//
// Order for 'auto': tfjs-node (native libtensorflow, fastest) if it loads, else the wasm
// backend, else the pure-JavaScript cpu backend. tfjs-node is an optional dependency whose
// install downloads libtensorflow; where that failed, `require` throws and we move on.
import * as path from 'node:path';
import * as tf from './tf';
import { BACKEND_PREFERENCES, isBackendPreference, type BackendName, type BackendPreference } from './backendPreference';
import { installKernelFixes } from './kernels/install';


export interface BackendInfo {
  /** The backend now running: 'node', 'wasm' or 'cpu'. */
  name: BackendName;
  /** tfjs's own name for it ('tensorflow', 'wasm', 'cpu'). */
  tfName: string;
  /** The preference it was chosen under. */
  preference: BackendPreference;
  /** Why each backend tried before it was skipped (empty when the first choice loaded). */
  skipped: { name: BackendName; reason: string }[];
}

/** A forced backend that cannot run, or no backend at all. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`The '${backend}' TensorFlow.js backend is not available: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

const TF_NAMES: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let current: BackendInfo | null = null;

/** The backend chosen by the last successful initBackend(), or null before. */
export function currentBackend(): BackendInfo | null {
  return current;
}

/**
 * Loads and activates a backend. Safe to call again: a backend already registered is reused.
 * Throws BackendUnavailableError when a forced backend (anything but 'auto') cannot run.
 */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (!isBackendPreference(preference)) {
    throw new Error(
      `Unknown backend '${String(preference)}': use one of ${BACKEND_PREFERENCES.join(', ')}.`,
    );
  }
  const order: BackendName[] = preference === 'auto' ? ['node', 'wasm', 'cpu'] : [preference];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    const reason = await tryActivate(name);
    if (reason === null) {
      current = { name, tfName: TF_NAMES[name], preference, skipped };
      return current;
    }
    if (preference !== 'auto') throw new BackendUnavailableError(name, reason);
    skipped.push({ name, reason });
  }
  // Unreachable in practice: the cpu backend is always loaded (src/training/tf.ts).
  const last = skipped[skipped.length - 1];
  throw new BackendUnavailableError(last.name, skipped.map((s) => `${s.name}: ${s.reason}`).join('; '));
}

/** Returns null when the backend is now active, else why it could not be used. */
async function tryActivate(name: BackendName): Promise<string | null> {
  try {
    if (name === 'node') loadNodeBackend();
    if (name === 'wasm') loadWasmBackend();
    const ok = await tf.setBackend(TF_NAMES[name]);
    if (!ok) return `tf.setBackend('${TF_NAMES[name]}') failed to initialise it`;
    await tf.ready();
    if (tf.getBackend() !== TF_NAMES[name]) return `tfjs is running '${tf.getBackend()}' instead`;
    if (name === 'cpu') skipNodeAdvice();
    // Kernels tfjs lacks or gets wrong on wasm and cpu (kernels/install.ts).
    installKernelFixes(TF_NAMES[name]);
    return null;
  } catch (err) {
    return firstLine(err);
  }
}

function loadNodeBackend(): void {
  if (tf.findBackendFactory('tensorflow') != null) return;
  try {
    // Registers the 'tensorflow' backend with the shared tfjs-core on load. The package
    // name is held in a variable so bundlers leave this optional dependency alone.
    const pkg = '@tensorflow/tfjs-node';
    require(pkg);
  } catch (err) {
    throw new Error(
      `@tensorflow/tfjs-node could not be loaded (${firstLine(err)}). It is optional: its ` +
        'install downloads libtensorflow, which needs internet access and a supported platform.',
    );
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    throw new Error('@tensorflow/tfjs-node loaded but registered no backend with this @tensorflow/tfjs');
  }
}

function loadWasmBackend(): void {
  if (tf.findBackendFactory('wasm') != null) return;
  // Loaded only when chosen. A literal name, so the build's metafile shows that the workers need
  // it and the .vsix ships it (scripts/package-vsix.mjs); scripts/build.mjs keeps it external.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  // Under Node the .wasm binaries are read from disk: point at the package's dist folder
  // (where its main file lives) as a file path, with a trailing separator as a prefix.
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(dist + path.sep);
}

/**
 * The cpu backend's first tensor prints advice to install tfjs-node; here that was already
 * tried, and the advice would land in the CLI's output. Let that first write happen quietly.
 */
function skipNodeAdvice(): void {
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true); // tfjs's warn() is silent in production mode
  try {
    tf.scalar(0).dispose();
  } finally {
    tf.env().set('PROD', prod);
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}
