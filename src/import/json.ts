import type { SourceLocation } from './output';

/** A file that cannot be imported at all (not JSON, not a notebook, no model), with where. */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly at: SourceLocation,
  ) {
    super(message);
  }
}

/** JSON.parse, with the line and column of a syntax error. */
export function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's messages do not always give the position: find it by scanning.
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset).split('\n');
    const near = text.slice(offset, offset + 20).split('\n')[0];
    throw new ImportError(`${fileName} is not valid JSON: unexpected ${near ? `'${near}'` : 'end of file'}.`, { line: before.length, column: before[before.length - 1].length + 1 });
  }
}

/** The offset where a JSON text stops being valid (its length when it only ends too soon). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}
