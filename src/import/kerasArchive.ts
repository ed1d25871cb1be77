import { strFromU8, unzipSync } from 'fflate';
import { ImportError } from './json';

// A .keras file (Keras 3, and Keras 2.13+ with save_format="keras") is a zip holding
// config.json (the model's description), metadata.json and model.weights.h5. Only the
// configuration is read: a design needs no weights, and fflate unzips in plain JavaScript.

export function kerasArchiveConfig(bytes: Uint8Array, fileName: string): string {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === 'config.json' });
  } catch (e) {
    throw new ImportError(`${fileName} is not a .keras archive (a zip file): ${(e as Error).message}.`, { line: 1, column: 1 });
  }
  const config = files['config.json'];
  if (!config) throw new ImportError(`${fileName} has no config.json: it is a zip, but not a model saved by Keras (model.save("model.keras")).`, { line: 1, column: 1 });
  return strFromU8(config);
}
