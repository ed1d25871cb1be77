import type { Analysis } from './analyzer';
import type { Diagnostic } from './diagnostics';
import type { LineIndex } from './lineIndex';
import type { Shape } from './model';

// The machine-readable form of an analysis: `seqmodel summary --json` and `check --json`.
// Lines and columns are 1-based, as editors and compilers print them.

export interface JsonLayer {
  name: string;
  type: string;
  line: number;
  outputShape: Shape | Shape[];
  params: number;
  trainable: number;
}

export interface JsonModel {
  name: string;
  layers: JsonLayer[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

export interface JsonDiagnostic {
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonReport {
  file: string;
  models: JsonModel[];
  diagnostics: JsonDiagnostic[];
}

export function jsonDiagnostic(d: Diagnostic, lines: LineIndex): JsonDiagnostic {
  const s = lines.positionAt(d.span.start);
  const e = lines.positionAt(d.span.end);
  return { severity: d.severity, code: d.code, message: d.message, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export function jsonReport(file: string, analysis: Analysis, modelName?: string): JsonReport {
  const models = analysis.models.filter((m) => !modelName || m.name === modelName);
  return {
    file,
    models: models.map((m) => ({
      name: m.name,
      layers: m.layers.map((l) => ({
        name: l.name,
        type: l.type,
        line: analysis.lines.positionAt(l.span.start).line + 1,
        outputShape: l.outputShapes.length === 1 ? l.outputShapes[0] : l.outputShapes,
        params: l.params.total,
        trainable: l.params.trainable,
      })),
      totalParams: m.params.total,
      trainableParams: m.params.trainable,
      nonTrainableParams: m.params.nonTrainable,
    })),
    diagnostics: analysis.diagnostics.map((d) => jsonDiagnostic(d, analysis.lines)),
  };
}
