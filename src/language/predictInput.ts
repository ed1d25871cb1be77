import { formatShape } from './formatting';
import type { Shape } from './model';

// Whether a sequence can be one sample of a model: the one set of rules for a `predict`
// statement (a diagnostic), the sequence typed into the editor's Predict box (checked as it is
// typed) and the predict worker (before it builds a tensor).

/** A row per step, each with the step's values: [[70], [80], [90]] or [[1, 0], [0, 1]]. */
export type SequenceRows = readonly (readonly number[])[];

/**
 * Why `rows` cannot be fed to `model` (its input shape has the batch dimension first; null
 * when unknown, which checks only the sequence itself), or null when it can.
 */
export function predictInputProblem(rows: SequenceRows, model: { name: string; inputShape: Shape | null }): string | null {
  if (rows.length === 0) return 'The input is empty: give a list of steps, e.g. [70, 80, 90].';
  const width = rows[0].length;
  for (const [i, row] of rows.entries()) {
    if (row.length === 0) return `Step ${i + 1} is empty.`;
    if (row.length !== width) return `Every step needs the same number of values: step 1 has ${width}, step ${i + 1} has ${row.length}.`;
    if (!row.every((v) => typeof v === 'number' && Number.isFinite(v))) return `Step ${i + 1} holds something that is not a finite number.`;
  }
  const shape = model.inputShape;
  if (!shape) return null;
  const written = formatShape(shape.slice(1));
  const steps = rows.length;
  if (shape.length === 3) {
    const [, wantSteps, wantFeatures] = shape;
    if (wantSteps !== null && wantSteps !== steps) return `${model.name} takes ${wantSteps} steps (input shape ${written}); the input has ${steps}.`;
    if (wantFeatures !== null && wantFeatures !== width) {
      return `${model.name} takes ${wantFeatures} value${wantFeatures === 1 ? '' : 's'} per step (input shape ${written}); the input has ${width}.` +
        (wantFeatures > 1 && width === 1 ? ' Write each step as a list, e.g. [[1, 0, 0], [0, 1, 0]].' : '');
    }
    return null;
  }
  if (shape.length === 2) {
    if (width !== 1) return `${model.name} takes one value per step (input shape ${written}, e.g. word ids); the input has ${width}.`;
    const wantSteps = shape[1];
    if (wantSteps !== null && wantSteps !== steps) return `${model.name} takes ${wantSteps} steps (input shape ${written}); the input has ${steps}.`;
    if (!rows.every((r) => Number.isInteger(r[0]) && r[0] >= 0)) return `${model.name} starts with an Embedding: every value must be a word id (a whole number, 0 or more).`;
    return null;
  }
  return `${model.name}'s input shape ${written} is not a sequence; predict takes a list of steps.`;
}
