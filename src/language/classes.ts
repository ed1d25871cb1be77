// Reading a Keras classifier's output as classes, the same way wherever it is read: the
// training worker's confusion matrix, the editor's Predict, the prediction panel.

/** Index of the largest value, the first on ties as numpy's argmax; -1 for no values. */
export function argmax(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i] > values[best]) best = i;
  return best;
}

/** A single sigmoid output p is the two-class [1 − p, p] (class 1 reads as "positive"); a softmax is as it is. */
export function classProbabilities(output: readonly number[]): number[] {
  return output.length === 1 ? [1 - output[0], output[0]] : [...output];
}
