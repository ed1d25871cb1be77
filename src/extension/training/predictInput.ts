// "Predict": the sequence the user types, read and checked against the model's input shape
// before any process starts, with a message that says what is wrong. Pure (no vscode).
//
// Accepted forms: `70, 80, 90` or `[70, 80, 90]` (one value per step) and `[[1, 0], [0, 1]]`
// (steps × features).

import type { Shape } from '../../language';

export type ParsedInput = { ok: true; input: number[][] } | { ok: false; message: string };

export function parseSequence(text: string): ParsedInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Type a sequence, e.g. 70, 80, 90 or [[1, 0], [0, 1]].' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed.startsWith('[') ? trimmed : `[${trimmed}]`);
  } catch {
    return { ok: false, message: 'Not a sequence of numbers: write 70, 80, 90 or [[1, 0], [0, 1]] (numbers separated by commas).' };
  }
  if (!Array.isArray(value) || value.length === 0) return { ok: false, message: 'The sequence is empty.' };
  const rows: number[][] = [];
  for (const [i, step] of value.entries()) {
    const row = Array.isArray(step) ? step : [step];
    if (row.length === 0) return { ok: false, message: `Step ${i + 1} is empty.` };
    if (!row.every((v) => typeof v === 'number' && Number.isFinite(v))) return { ok: false, message: `Step ${i + 1} holds something that is not a number.` };
    rows.push(row as number[]);
  }
  const width = rows[0].length;
  const ragged = rows.findIndex((r) => r.length !== width);
  if (ragged >= 0) return { ok: false, message: `Every step needs the same number of values: step 1 has ${width}, step ${ragged + 1} has ${rows[ragged].length}.` };
  return { ok: true, input: rows };
}

/** Checks a parsed sequence against the model's input shape (batch dimension first). */
export function checkAgainstShape(input: number[][], inputShape: Shape | null): string | null {
  if (!inputShape) return null;
  const steps = input.length;
  const features = input[0].length;
  const shape = `(${inputShape.slice(1).map((d) => (d === null ? 'None' : d)).join(', ')}${inputShape.length === 2 ? ',' : ''})`;
  if (inputShape.length === 3) {
    const [, wantSteps, wantFeatures] = inputShape;
    if (wantSteps !== null && wantSteps !== steps) return `The model takes ${wantSteps} steps (input shape ${shape}); the sequence has ${steps}.`;
    if (wantFeatures !== null && wantFeatures !== features) {
      return `The model takes ${wantFeatures} value${wantFeatures === 1 ? '' : 's'} per step (input shape ${shape}); the sequence has ${features}.` +
        (wantFeatures > 1 && features === 1 ? ' Write each step as a list, e.g. [[1, 0, 0], [0, 1, 0]].' : '');
    }
    return null;
  }
  if (inputShape.length === 2) {
    if (features !== 1) return `The model takes one value per step (input shape ${shape}, e.g. word ids); the sequence has ${features}.`;
    const wantSteps = inputShape[1];
    if (wantSteps !== null && wantSteps !== steps) return `The model takes ${wantSteps} steps (input shape ${shape}); the sequence has ${steps}.`;
    if (!input.every((r) => Number.isInteger(r[0]) && r[0] >= 0)) return 'The model starts with an Embedding: every value must be a word id (a whole number, 0 or more).';
    return null;
  }
  return `The model's input shape ${shape} is not a sequence; Predict takes a list of steps.`;
}

/** Parse then check: the input box's validator and the command's last check. */
export function validateSequence(text: string, inputShape: Shape | null): ParsedInput {
  const parsed = parseSequence(text);
  if (!parsed.ok) return parsed;
  const problem = checkAgainstShape(parsed.input, inputShape);
  return problem ? { ok: false, message: problem } : parsed;
}
