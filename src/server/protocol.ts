// Requests the extension sends beyond LSP. Kept free of imports so the extension bundle can
// share the names and shapes without pulling in the server.

/** The model whose block holds a position: for the status bar. */
export const MODEL_AT_REQUEST = 'seqmodel/modelAt';
export interface ModelAtParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}
export interface ModelAtResult {
  name: string;
  total: number;
  trainable: number;
  nonTrainable: number;
  layers: number;
  /** False when the model has errors: the counts cover the layers analysed so far. */
  valid: boolean;
}

/** A model's Keras summary table: for the Show summary command. */
export const SUMMARY_REQUEST = 'seqmodel/summary';
export interface SummaryParams {
  textDocument: { uri: string };
  model: string;
}
export interface SummaryResult {
  text: string;
}
