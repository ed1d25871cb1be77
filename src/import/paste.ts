import { analyze } from '../language';
import type { ConfigValue, LayerConfig } from '../language';
import { importKeras, type ImportResult } from './index';
import type { Const } from './python/values';

// Keras code pasted into a .seqmodel file: the editor offers to replace it with its import.
// The decision is the importer's own: the text is offered for conversion when, read as
// Python, it defines at least one model. Names already defined in the rest of the document
// are avoided, so the converted text joins the file without a duplicate name.

export const PASTED_SOURCE = 'pasted Keras code';

/** Smallest paste worth looking at: a one-word paste is never a model. */
const MIN_LENGTH = 12;

/**
 * The conversion of `pasted`, which now sits at [start, start + pasted.length) of
 * `documentText`; null when it is not Keras model code.
 */
export function convertPastedKeras(pasted: string, documentText: string, start: number): ImportResult | null {
  if (pasted.trim().length < MIN_LENGTH || !/\(/.test(pasted)) return null;
  const rest = documentText.slice(0, start) + documentText.slice(start + pasted.length);
  const analysis = analyze(rest);
  const reserved = analysis.symbols.map((s) => s.name);
  // The document's constants may be used by the pasted code (a layer's input_shape=(steps, 1)).
  const constants = Object.fromEntries(analysis.constants.filter((c) => !isLayer(c.value)).map((c) => [c.name, c.value as Const]));
  let result: ImportResult;
  try {
    result = importKeras({ fileName: PASTED_SOURCE, content: pasted, kind: 'python', reserved, constants });
  } catch {
    return null; // not Python at all, or no model in it
  }
  return result.models > 0 ? result : null;
}

function isLayer(v: ConfigValue): v is LayerConfig {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
