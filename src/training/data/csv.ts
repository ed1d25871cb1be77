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
import type { Series, SeriesLabels } from './series';

export type CsvSpec = Extract<SeriesSpec, { kind: 'csv' }>;

/** A column of class labels to read beside the features (window(csv(..., label=...))). */
export interface LabelColumn {
  column: string | number;
  /** The classes in output order when declared; otherwise the labels found, sorted. */
  classNames: string[] | null;
}

/**
 * More distinct labels than this is not a label column (a timestamp, a reading): stop early
 * rather than hold every distinct text in memory.
 */
export const MAX_CLASSES = 1000;

/** Options a caller may add: where to resolve the file, and consent for outside files. */
export type CsvReadOptions = FileAccess;

export async function readCsvSeries(spec: CsvSpec, access: CsvReadOptions, labels?: LabelColumn): Promise<Series> {
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
    return await csvSeriesFromLines(spec, lines, file, () => streamError, labels);
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
  labels?: LabelColumn,
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
  let labelCol = -1;
  const values = new GrowableFloat32(4096);
  const target = new GrowableFloat32(1024);
  // Each row's label as the index of its text in `labelTexts` (first seen first): the texts
  // are kept once each, not once per row.
  const labelIds = new GrowableFloat32(labels ? 1024 : 1);
  const labelIndex = new Map<string, number>();
  const labelTexts: string[] = [];
  const labelLines: number[] = [];
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
        // A label column holds text in every row: it does not make the first row a header.
        const labelAt = labels?.column;
        const isHeader = spec.header ?? fields.some((f, i) => i !== labelAt && f !== '' && parseNumber(f) === null);
        names = isHeader ? fields : null;
        ({ featureCols, targetCol, labelCol } = chooseColumns(spec, names, width, shown, file, lineNo, labels?.column));
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
      if (labelCol >= 0) {
        const text = fields[labelCol];
        let id = labelIndex.get(text);
        if (id === undefined) {
          const column = names ? `column "${names[labelCol]}"` : `column ${labelCol}`;
          if (text === '') fail(lineNo, `the label ${column} is empty.`);
          if (labels?.classNames && !labels.classNames.includes(text)) {
            fail(lineNo, `the label ${column} holds "${text}", which class_names does not list (${labels.classNames.map((c) => `"${c}"`).join(', ')}).`);
          }
          if (labelTexts.length === MAX_CLASSES) {
            fail(lineNo, `the label ${column} holds more than ${MAX_CLASSES} different values: is it the column of class labels?`);
          }
          id = labelTexts.length;
          labelIndex.set(text, id);
          labelTexts.push(text);
          labelLines.push(lineNo);
        }
        labelIds.push(id);
      }
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
  const series: Series = { values: flat, length: rows, features, target: targetValues, names: featureCols.map(columnName) };
  if (labels) series.labels = classesOf(labelIds.toArray(), labelTexts, labelLines, labels, `${shown}: the label column "${columnName(labelCol)}"`, file);
  return series;
}

/**
 * Row labels as class numbers in output order: class_names's order when declared, else the
 * labels sorted by code point (the same on every machine and in Python's sorted()).
 */
function classesOf(firstSeenIds: Float32Array, texts: string[], lines: number[], labels: LabelColumn, where: string, file: string): SeriesLabels {
  const names = labels.classNames ?? [...texts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.classNames) {
    const missing = labels.classNames.filter((c) => !texts.includes(c));
    if (missing.length) throw new DataError(`${where} never holds ${missing.map((c) => `"${c}"`).join(', ')}, which class_names lists.`, file);
  }
  if (names.length < 2) {
    throw new DataError(`${where} holds a single class, "${texts[0]}" (from line ${lines[0]}): a classifier needs at least two.`, file, lines[0]);
  }
  const remap = texts.map((t) => names.indexOf(t));
  const ids = new Uint16Array(firstSeenIds.length);
  for (let i = 0; i < ids.length; i++) ids[i] = remap[firstSeenIds[i]];
  return { ids, classNames: names };
}

/** File column indices of the features and the target, from names or 0-based indices. */
function chooseColumns(
  spec: CsvSpec,
  names: string[] | null,
  width: number,
  shown: string,
  file: string,
  line: number,
  label?: string | number,
): { featureCols: number[]; targetCol: number; labelCol: number } {
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
  const labelCol = label === undefined ? -1 : find(label, 'label column');
  // With a label column and no columns listed, the features are every other column.
  const featureCols =
    spec.columns === null ? Array.from({ length: width }, (_, i) => i).filter((i) => i !== labelCol) : spec.columns.map((c) => find(c, 'column'));
  if (featureCols.length === 0) throw new DataError(`${shown}: no columns are chosen.`, file, line);
  if (featureCols.includes(labelCol)) throw new DataError(`${shown}: the label column is also a feature column; list the features in columns=[...] without it.`, file, line);
  const targetCol = spec.target === null ? featureCols[0] : find(spec.target, 'target column');
  return { featureCols, targetCol, labelCol };
}
