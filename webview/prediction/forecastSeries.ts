// A forecast sample as chart columns: the input window on steps 1..k, then the true and the
// predicted continuation on steps k+1..k+h. Both continuations also start at step k, on the
// last input value, so the lines join the window instead of floating after a gap.
import type { ForecastSample } from '../protocol';

export interface ForecastColumns {
  steps: number[];
  input: (number | null)[];
  actual: (number | null)[];
  predicted: (number | null)[];
}

export function forecastColumns(sample: ForecastSample, targetFeature: number): ForecastColumns {
  const window = sample.input.map((step) => step[Math.min(targetFeature, step.length - 1)]);
  const k = window.length;
  const h = sample.predicted.length;
  const steps = Array.from({ length: k + h }, (_, i) => i + 1);
  const input: (number | null)[] = [...window, ...new Array<null>(h).fill(null)];
  const joint = k > 0 ? window[k - 1] : null;
  const continuation = (values: number[] | null): (number | null)[] => {
    if (!values) return new Array<null>(k + h).fill(null);
    return [...new Array<null>(Math.max(0, k - 1)).fill(null), ...(k > 0 ? [joint] : []), ...values];
  };
  return { steps, input, actual: continuation(sample.actual), predicted: continuation(sample.predicted) };
}

/** Mean absolute error of one sample's prediction, NaN when the truth is unknown. */
export function sampleMae(sample: ForecastSample): number {
  if (!sample.actual || sample.actual.length === 0) return NaN;
  let sum = 0;
  const n = Math.min(sample.actual.length, sample.predicted.length);
  for (let i = 0; i < n; i++) sum += Math.abs(sample.actual[i] - sample.predicted[i]);
  return sum / n;
}

/** Mean absolute error over every sample with a known truth. */
export function overallMae(samples: ForecastSample[]): number {
  let sum = 0;
  let n = 0;
  for (const sample of samples) {
    if (!sample.actual) continue;
    const m = Math.min(sample.actual.length, sample.predicted.length);
    for (let i = 0; i < m; i++) sum += Math.abs(sample.actual[i] - sample.predicted[i]);
    n += m;
  }
  return n ? sum / n : NaN;
}
