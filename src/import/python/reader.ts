import type { DraftModel, ImportDraft, SourceLocation } from '../output';
import type { PyExpr } from './syntax';
import type { Val } from './values';

/** What the recipe modules (layers, data, training) need of the interpreter. */
export interface Reader {
  readonly draft: ImportDraft;
  eval(e: PyExpr): Val;
  /** The .seqmodel text of a constant expression; throws ImportProblem otherwise. */
  constDsl(e: PyExpr, what: string): string;
  /** The Python source of a node, shortened for messages. */
  source(at: { from: number; to: number }): string;
  locate(offset: number): SourceLocation;
  warn(at: { from: number }, message: string, model?: DraftModel): void;
}

/** A keyword argument, else the positional one at `index` (Keras's own order). */
export function argument(call: Extract<PyExpr, { k: 'call' }>, name: string, index = -1): PyExpr | undefined {
  return call.kwargs.find((k) => k.name === name)?.value ?? (index >= 0 ? call.args[index] : undefined);
}
