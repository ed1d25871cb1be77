// A series read from a CSV file. The file is streamed line by line (node:readline over a read
// stream): only the chosen columns are kept, as float32, never the text of the whole file. The
// parsing (csvSeriesFromLines) takes lines from anywhere: the playground passes those of a file
// the user gave the page.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SeriesSpec } from '../../language';
import { parseNumber, splitCsvLine } from './csvLine';
import { DataError } from './errors';
import { type FileAccess, resolveDataFile } from './fileAccess';
import { GrowableFloat32 } from './growable';
import type { Series } from './series';

export type CsvSpec = Extract<SeriesSpec, { kind: 'csv' }>;

/** Options a caller may add: where to resolve the file, and consent for outside files. */
export type CsvReadOptions = FileAccess;

export async function readCsvSeries(spec: CsvSpec, access: CsvReadOptions): Promise<Series> {
  const file = await resolveDataFile(spec.path, access);
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  // readline does not always surface a read error through its iterator: remember it.
  let streamError: Error | null = null;
  stream.on('error', (err) => {
    streamError = err;
    lines.close();
  });
  try {
    return await csvSeriesFromLines(spec, lines, file, () => streamError);
  } finally {
    lines.close();
    stream.destroy();
  }
}

/**
 * The series in `lines` (the file's lines without their line breaks). `file` names it in errors;
 * `readError` reports a failure of the source that ended the lines early.
 */
export async function csvSeriesFromLines(
  spec: CsvSpec,
  lines: AsyncIterable<string> | Iterable<string>,
  file: string,
  readError: () => Error | null = () => null,
): Promise<Series> {
  const shown = spec.path;
  const delimiter = spec.delimiter === '' ? ',' : spec.delimiter;
  const fail = (line: number, message: string): never => {
    throw new DataError(`${shown}, line ${line}: ${message}`, file, line);
  };

  let lineNo = 0;
  let width = -1;
  let names: string[] | null = null;
  let featureCols: number[] = [];
  let targetCol = -1;
  let targetIsFeature = -1;
  const values = new GrowableFloat32(4096);
  const target = new GrowableFloat32(1024);
  let rows = 0;

  try {
    for await (const raw of lines) {
      lineNo++;
      const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      const split = splitCsvLine(text, delimiter);
      if (!Array.isArray(split)) fail(lineNo, split.error);
      const fields = split as string[];

      if (width < 0) {
        // The first non-blank line decides the width, and whether it is a header.
        width = fields.length;
        const isHeader = spec.header ?? fields.some((f) => f !== '' && parseNumber(f) === null);
        names = isHeader ? fields : null;
        ({ featureCols, targetCol } = chooseColumns(spec, names, width, shown, file, lineNo));
        targetIsFeature = featureCols.indexOf(targetCol);
        if (isHeader) continue;
      }

      if (fields.length !== width) {
        fail(lineNo, `expected ${width} value(s) like the ${names ? 'header' : 'first row'}, found ${fields.length}.`);
      }
      const parse = (col: number): number => {
        const value = parseNumber(fields[col]);
        if (value === null) {
          const column = names ? `column "${names[col]}"` : `column ${col}`;
          return fail(lineNo, `${column} holds "${fields[col]}", which is not a number.`);
        }
        return value;
      };
      for (const col of featureCols) values.push(parse(col));
      if (targetIsFeature < 0) target.push(parse(targetCol));
      rows++;
    }
    const error = readError();
    if (error) throw error;
  } catch (err) {
    if (err instanceof DataError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new DataError(`Could not read ${shown}: ${reason}`, file);
  }

  if (rows === 0) throw new DataError(`${shown} has no data rows.`, file);
  const features = featureCols.length;
  const flat = values.toArray();
  let targetValues: Float32Array;
  if (targetIsFeature >= 0) {
    targetValues = new Float32Array(rows);
    for (let r = 0; r < rows; r++) targetValues[r] = flat[r * features + targetIsFeature];
  } else {
    targetValues = target.toArray();
  }
  const columnName = (col: number): string => (names ? names[col] : String(col));
  return { values: flat, length: rows, features, target: targetValues, names: featureCols.map(columnName) };
}

/** File column indices of the features and the target, from names or 0-based indices. */
function chooseColumns(
  spec: CsvSpec,
  names: string[] | null,
  width: number,
  shown: string,
  file: string,
  line: number,
): { featureCols: number[]; targetCol: number } {
  const find = (ref: string | number, role: string): number => {
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= width) {
        throw new DataError(`${shown}: ${role} ${ref} does not exist; the file has ${width} column(s), numbered from 0.`, file, line);
      }
      return ref;
    }
    if (!names) {
      throw new DataError(
        `${shown}: ${role} "${ref}" is chosen by name, but the file has no header row (line ${line} holds numbers). ` +
          'Choose columns by index (0, 1, ...) or add a header.',
        file,
        line,
      );
    }
    const index = names.indexOf(ref);
    if (index < 0) {
      throw new DataError(`${shown}: there is no column "${ref}"; the header has ${names.map((n) => `"${n}"`).join(', ')}.`, file, line);
    }
    return index;
  };
  const featureCols = spec.columns === null ? Array.from({ length: width }, (_, i) => i) : spec.columns.map((c) => find(c, 'column'));
  if (featureCols.length === 0) throw new DataError(`${shown}: no columns are chosen.`, file, line);
  const targetCol = spec.target === null ? featureCols[0] : find(spec.target, 'target column');
  return { featureCols, targetCol };
}
