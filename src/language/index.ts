// The engine's public surface: pure TypeScript, no editor, no Node, no DOM and no TensorFlow.
// Everything outside src/language imports the engine from here (npm run lint enforces it, see
// docs/architecture.md), so the files behind it can move without touching their users.
export { analyze, analysisSteps, buildsOn, MAX_DIAGNOSTICS, MAX_DOCUMENT_CHARS, notText, watchIncrementalFailures, type Analysis } from './analyzer';
export * from './model';
export type * as Ast from './ast';
export type { Diagnostic, DiagnosticCode, Fix, Severity, TextEdit } from './diagnostics';
export { DIAGNOSTIC_CODES, diagnostic } from './diagnostics';
export { DiagnosticCollector, type DiagnosticSink } from './diagnosticCollector';
export { LineIndex, type Position } from './lineIndex';
export { changeBetween, changeOf, joined, narrowed, type TextChange } from './commonText';
export { prefixLength } from './search';
export { formatCount, formatPercent, formatShape, formatShapes, formatValue, formatValues, type NestedValues } from './formatting';
export { summaryRows, summaryTable, summaryTotals, type SummaryRow } from './summary';
export { jsonReport, jsonDiagnostic, type JsonReport } from './report';
export { LAYER_ALIASES, LAYERS, layersOf, lookupLayer } from './layers/registry';
export { BASE_ARGS, type ArgSpec, type ObjectKind } from './layers/spec';
export { argSpecs, callable, type Callable } from './callables';
export { completionQuery, type CompletionContext } from './completionContext';
export { csvSeriesOf, DATA_SOURCES, SERIES_SOURCES, windows } from './dataAnalysis';
export { LOSSES, METRICS, TRAIN_SETTINGS } from './trainAnalysis';
export { isObjectConfig, lookupObject, objectCall, objectClass, objectNames, resolveObject, shortName, type ObjectConfig, type ObjectSpec } from './kerasObjects';
export { KEYWORDS } from './tokens';
export { argumentAt, layerAt, modelAt, objectAt, occurrences, settingAt, symbolAt, type LayerHit, type ObjectHit } from './query';
export { exportKeras, layerCall, pythonValue } from './exportKeras';
export { argmax, classProbabilities } from './classes';
export { format, formatEdits, formatEditSteps, MAX_FORMAT_EDITS, type FormatEdit } from './format';
export { FormatMemory } from './layoutMemory';
export { predictInputProblem, type SequenceRows } from './predictInput';
export { tokenError, tokenize } from './lexer';
export { lexText, parse, parseSteps } from './parser';
export { KeptTokens, relexed, type LexedText } from './relex';
export { runSteps, STEP_SIZE, type Steps } from './steps';
export { arraysMade } from './spareArrays';
export { escapeControl } from './text';
