// What the prediction panel receives after a run: the worker's evaluation (forecast windows or
// classified validation samples) and the document's own predict statements, in the panel's
// message format. Pure (no vscode).

import { argmax, classProbabilities, type DataSpec } from '../../language';
import type { Evaluation, NestedNumbers, PredictionResult } from '../../training/protocol';
import type { ClassificationSample, ForecastSample, PredictionsMessage } from '../../../webview/protocol';

export interface PredictionSource {
  modelName: string;
  runId?: string;
  spec: DataSpec;
  /** The document's predict statements, as the run answered them. */
  predictions: PredictionResult[];
  evaluation?: Evaluation | null;
}

function flat(output: NestedNumbers | null): number[] {
  if (output === null) return [];
  if (typeof output === 'number') return [output];
  return output.flatMap((o) => flat(o));
}

/** One-hot steps become their class ids; one value per step (word ids) is kept as it is. */
export function decodeSequence(input: number[][]): number[] {
  return input.map((row) => (row.length > 1 ? argmax(row) : Math.round(row[0] ?? 0)));
}

/** A prediction's class probabilities, as the panel expects. */
export function outputProbabilities(output: NestedNumbers | null): number[] {
  return classProbabilities(flat(output));
}

/** The index, within each input step, of the feature being forecast. */
export function targetFeature(spec: DataSpec): number {
  if (spec.kind !== 'window' || spec.series.kind !== 'csv') return 0;
  const { columns, target } = spec.series;
  if (target === null) return 0;
  if (columns) {
    const at = columns.indexOf(target);
    return at >= 0 ? at : 0;
  }
  return typeof target === 'number' ? target : 0;
}

/** The panel's message, or null when there is nothing to show. */
export function predictionsMessage(source: PredictionSource): PredictionsMessage | null {
  const answered = source.predictions.filter((p) => p.error === undefined && p.output !== null);
  const ev = source.evaluation ?? null;
  const base = { type: 'predictions' as const, modelName: source.modelName, ...(source.runId ? { runId: source.runId } : {}) };

  if (source.spec.kind === 'window') {
    const samples: ForecastSample[] = [
      ...answered.map((p) => ({ input: p.input, predicted: flat(p.output), actual: null })),
      ...(ev?.task === 'forecast' ? ev.samples.map((s) => ({ input: s.input, predicted: s.predicted, actual: s.actual })) : []),
    ];
    if (samples.length === 0) return null;
    return { ...base, task: 'forecast', targetFeature: targetFeature(source.spec), samples };
  }

  // Sensor windows are readings, not class ids: there is no sequence of classes to list.
  const sequence = source.spec.kind === 'labelledWindows' ? () => [] : decodeSequence;
  const samples: ClassificationSample[] = [
    ...answered.map((p) => ({ sequence: sequence(p.input), expected: null, probabilities: outputProbabilities(p.output) })),
    ...(ev?.task === 'classification' ? ev.samples.map((s) => ({ sequence: sequence(s.input), expected: s.expected, probabilities: s.probabilities })) : []),
  ];
  if (samples.length === 0) return null;
  const classNames = source.spec.kind === 'sentiment' ? ['negative', 'positive'] : ev?.task === 'classification' ? ev.classNames : undefined;
  return {
    ...base,
    task: 'classification',
    ...(classNames ? { classNames } : {}),
    samples,
    ...(ev?.task === 'classification' ? { validation: { expected: ev.expected, predicted: ev.predicted } } : {}),
  };
}
