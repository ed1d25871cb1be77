// Which axis a logged key is drawn against. Keras logs "loss", "val_loss" and, per compiled
// metric, "<name>" and "val_<name>". Losses share the left axis; ratios in [0, 1] (accuracy and
// friends) get a right axis of their own; other metrics (mae, mse, ...) a second right axis, since
// their units match neither.

export type AxisKind = 'loss' | 'ratio' | 'metric';

const RATIO_METRICS = new Set([
  'acc',
  'accuracy',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'top_k_categorical_accuracy',
  'precision',
  'recall',
  'auc',
]);

/** "val_acc" → "acc"; "loss" → "loss". */
export function baseMetric(key: string): string {
  return key.startsWith('val_') ? key.slice(4) : key;
}

export function isValidationKey(key: string): boolean {
  return key.startsWith('val_');
}

export function axisOf(key: string): AxisKind {
  const base = baseMetric(key);
  if (base === 'loss') return 'loss';
  return RATIO_METRICS.has(base) ? 'ratio' : 'metric';
}

/** Orders keys as a reader expects: loss first, then each metric, training before validation. */
export function compareKeys(a: string, b: string): number {
  const rank = (key: string) => (axisOf(key) === 'loss' ? 0 : axisOf(key) === 'ratio' ? 1 : 2);
  const byAxis = rank(a) - rank(b);
  if (byAxis !== 0) return byAxis;
  const byBase = baseMetric(a).localeCompare(baseMetric(b));
  if (byBase !== 0) return byBase;
  return Number(isValidationKey(a)) - Number(isValidationKey(b));
}
