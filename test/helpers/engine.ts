import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis, type DiagnosticCode, type LayerInfo, type ModelInfo } from '../../src/language';

export const ROOT = join(__dirname, '..', '..');

export const EXAMPLES_DIR = join(ROOT, 'examples');

/**
 * The example files' names. Only files: a training run started in examples/ leaves its
 * `.seqmodel/` runs folder there, which also ends in .seqmodel.
 */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.seqmodel'))
    .map((e) => e.name)
    .sort();
}

/** The example files' texts, in name order. */
export function exampleTexts(): string[] {
  return exampleNames().map((f) => readFileSync(join(EXAMPLES_DIR, f), 'utf8'));
}

export function example(name: string): Analysis {
  return analyze(readFileSync(join(ROOT, 'examples', name), 'utf8'));
}

export function model(analysis: Analysis, name: string): ModelInfo {
  const m = analysis.models.find((x) => x.name === name);
  if (!m) throw new Error(`no model ${name}; models: ${analysis.models.map((x) => x.name).join(', ')}`);
  return m;
}

/** Analyses one model written as its body lines. */
export function single(body: string): { analysis: Analysis; model: ModelInfo } {
  const analysis = analyze(`model m {\n${body}\n}\n`);
  return { analysis, model: model(analysis, 'm') };
}

/** The last layer of a one-model document, failing loudly with the diagnostics if any. */
export function lastLayer(body: string): LayerInfo {
  const { analysis, model: m } = single(body);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
  return m.layers[m.layers.length - 1];
}

export function codes(analysis: Analysis): DiagnosticCode[] {
  return analysis.diagnostics.map((d) => d.code);
}

/** The source text a diagnostic points at. */
export function at(analysis: Analysis, code: DiagnosticCode): string {
  const d = analysis.diagnostics.find((x) => x.code === code);
  if (!d) throw new Error(`no ${code} diagnostic; got ${analysis.diagnostics.map((x) => `${x.code}: ${x.message}`).join(' | ')}`);
  return analysis.text.slice(d.span.start, d.span.end);
}
