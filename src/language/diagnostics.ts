import { detached } from './detached';
import type { Span } from './model';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  span: Span;
  newText: string;
}

/** A fix carried as data so the language server can offer it as a quick fix. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix to apply with "auto fix". */
  preferred?: boolean;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  fixes?: Fix[];
  /** Rendered faded by editors (unused definitions). */
  unnecessary?: boolean;
}

/**
 * Every diagnostic code the engine emits. Codes are stable: tools and users may filter on
 * them; docs/diagnostics.md explains each one.
 */
export const DIAGNOSTIC_CODES = {
  'syntax-error': 'The text does not follow the grammar (a missing bracket, comma or value).',
  'unknown-statement': 'A line does not start with let, data, model, train or predict.',
  'unknown-layer': 'A layer name that Keras does not have (or this product does not support).',
  'unknown-argument': 'An argument the layer, data source or setting does not take.',
  'missing-argument': 'A required argument is missing.',
  'duplicate-argument': 'The same argument is given twice.',
  'too-many-arguments': 'More positional arguments than the call takes.',
  'invalid-argument': 'An argument of the wrong type or with a value out of range.',
  'missing-input-shape': 'The first layer of a model has no input shape.',
  'incompatible-shape': 'A layer receives a tensor of a rank or size it cannot take.',
  'missing-return-sequences': 'A recurrent layer feeds another sequence layer without return_sequences=True.',
  'window-too-long': 'A Conv1D or pooling window is longer than the sequence.',
  'flatten-unknown-length': 'Flatten over a sequence of unknown length.',
  'cell-outside-rnn': 'A recurrent cell (LSTMCell, PeepholeLSTMCell, ...) used as a layer instead of inside RNN(...).',
  'embedding-not-first': 'Embedding is not the first layer of its model.',
  'multiple-outputs-not-last': 'A layer with several outputs (return_state=True) is followed by another layer.',
  'softmax-single-unit': 'softmax over a single unit always outputs 1.',
  'loss-output-mismatch': 'The loss does not fit the model output.',
  'data-shape-mismatch': 'The data does not fit the model input or output.',
  'invalid-expression': 'Arithmetic on something that is not a number, or a division by zero.',
  'undefined-name': 'A name that is not defined.',
  'duplicate-name': 'A name defined twice.',
  'unused-definition': 'A constant, data source or model that nothing uses.',
  'invalid-setting': 'A train setting that is unknown or has a wrong value.',
  'invalid-data': 'A data source with a wrong argument.',
  'invalid-predict': 'A predict input that does not fit the model.',
  'not-text': 'The file holds binary content (a NUL character) or is too large to analyse; nothing else is checked.',
  'too-many-problems': 'More problems than are listed: the rest are counted in one last diagnostic.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  span: Span,
  message: string,
  fixes?: Fix[],
): Diagnostic {
  // Its strings refer to no other: a message quoting a name would keep the whole text the name
  // was cut from alive while later versions carry the diagnostic on (detached.ts).
  const d: Diagnostic = { code, severity, message: detached(message), span: { start: span.start, end: span.end } };
  // The fixes' spans are copied too: an edit often names a span of the syntax tree, which the
  // incremental analysis moves in place (shift.ts) while the diagnostic is copied.
  if (fixes && fixes.length) d.fixes = fixes.map((f) => ({ ...f, title: detached(f.title), edits: f.edits.map((e) => ({ ...e, newText: detached(e.newText), span: { start: e.span.start, end: e.span.end } })) }));
  return d;
}
