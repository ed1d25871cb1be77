import type { Span } from './model';

export type TokenKind =
  | 'ident'
  | 'keyword'
  | 'number'
  | 'string'
  | 'punct'
  | 'newline'
  | 'comment'
  | 'invalid'
  | 'eof';

export const KEYWORDS = new Set(['let', 'data', 'model', 'train', 'on', 'predict']);

export interface Token extends Span {
  kind: TokenKind;
  /** Source text of the token (for strings: the decoded value is in `value`). */
  text: string;
  /** Decoded string or number value. */
  value?: string | number;
  /** For numbers: written without a fraction or exponent. */
  isInt?: boolean;
  /** A lexing problem (unterminated string, bad number, characters the language does not use), reported by the parser with tokenError's message. */
  error?: 'unterminated-string' | 'not-a-number' | 'unexpected';
}
