// The engine's public surface: pure TypeScript, no editor and no TensorFlow.
export { analyze, MAX_DIAGNOSTICS, MAX_DOCUMENT_CHARS, type Analysis } from './analyzer';
export * from './model';
export type { Diagnostic, DiagnosticCode, Fix, Severity, TextEdit } from './diagnostics';
export { DIAGNOSTIC_CODES } from './diagnostics';
export { LineIndex, type Position } from './lineIndex';
export { formatCount, formatShape, formatShapes } from './formatting';
export { summaryTable, summaryRows } from './summary';
export { jsonReport, jsonDiagnostic, type JsonReport } from './report';
export { LAYERS, lookupLayer } from './layers/registry';
export { windows } from './dataAnalysis';
export { tokenize } from './lexer';
export { parse } from './parser';
export { ENGINE_V8_FLAGS } from './v8Flags';
