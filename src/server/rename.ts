import { ResponseError, ErrorCodes, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import type { Analysis } from '../language';
import { occurrences, symbolAt } from '../language';
import { toRange } from './convert';

// Rename a constant, data source or model everywhere it is written. The new name must be an
// identifier that is not a keyword or literal and not already taken, else the rename is refused
// with a message (the client shows it) rather than producing a broken file.

const RESERVED = new Set(['let', 'data', 'model', 'train', 'on', 'predict', 'None', 'True', 'False', 'true', 'false']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function prepareRename(analysis: Analysis, offset: number): { range: Range; placeholder: string } | null {
  const hit = symbolAt(analysis, offset);
  if (!hit) return null;
  return { range: toRange(analysis.lines, hit.span), placeholder: hit.symbol.name };
}

export function rename(analysis: Analysis, uri: string, offset: number, newName: string): WorkspaceEdit | ResponseError<void> | null {
  const hit = symbolAt(analysis, offset);
  if (!hit) return null;
  if (!IDENT.test(newName) || RESERVED.has(newName)) {
    return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid name: use letters, digits and _, not starting with a digit, and not a keyword.`);
  }
  if (newName === hit.symbol.name) return { changes: { [uri]: [] } };
  const taken = analysis.symbols.find((s) => s.name === newName);
  if (taken) return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is already defined (as a ${taken.kind === 'data' ? 'data source' : taken.kind}).`);
  const owner = analysis.symbols.find((s) => s.name === hit.symbol.name) ?? hit.symbol;
  const spans = occurrences(analysis, owner);
  return { changes: { [uri]: spans.map((s) => ({ range: toRange(analysis.lines, s), newText: newName })) } };
}
