// Confusion matrix over the validation data: rows are the true class, columns the predicted one
// (scikit-learn's and Keras examples' convention), with the figures read off it.

export interface ConfusionMatrix {
  classes: number;
  /** counts[expected][predicted] */
  counts: number[][];
  total: number;
  correct: number;
  accuracy: number;
  /** Per class: of the samples of this class, the share predicted as it (NaN without samples). */
  recall: number[];
  /** Per class: of the samples predicted as this class, the share that were (NaN if none). */
  precision: number[];
}

export function confusionMatrix(expected: readonly number[], predicted: readonly number[], classes?: number): ConfusionMatrix {
  if (expected.length !== predicted.length) {
    throw new Error(`confusionMatrix: ${expected.length} expected labels but ${predicted.length} predictions`);
  }
  let n = classes ?? 0;
  for (let i = 0; i < expected.length; i++) n = Math.max(n, expected[i] + 1, predicted[i] + 1);
  for (const label of [...expected, ...predicted]) {
    if (!Number.isInteger(label) || label < 0) throw new Error(`confusionMatrix: class ${label} is not a non-negative integer`);
  }
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let correct = 0;
  for (let i = 0; i < expected.length; i++) {
    counts[expected[i]][predicted[i]]++;
    if (expected[i] === predicted[i]) correct++;
  }
  const recall: number[] = [];
  const precision: number[] = [];
  for (let c = 0; c < n; c++) {
    let rowSum = 0;
    let columnSum = 0;
    for (let k = 0; k < n; k++) {
      rowSum += counts[c][k];
      columnSum += counts[k][c];
    }
    recall.push(rowSum ? counts[c][c] / rowSum : NaN);
    precision.push(columnSum ? counts[c][c] / columnSum : NaN);
  }
  const total = expected.length;
  return { classes: n, counts, total, correct, accuracy: total ? correct / total : NaN, recall, precision };
}

