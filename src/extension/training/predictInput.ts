// "Predict": the sequence the user types, read here and checked by the engine's rules for a
// predict input (predictInputProblem) before any process starts, with a message that says
// what is wrong. Pure (no vscode).
//
// Accepted forms: `70, 80, 90` or `[70, 80, 90]` (one value per step) and `[[1, 0], [0, 1]]`
// (steps × features).

import { predictInputProblem, type ModelInfo } from '../../language';

export type ParsedInput = { ok: true; input: number[][] } | { ok: false; message: string };

/** The typed text as rows of steps; whether they hold numbers that fit is validateSequence's. */
export function parseSequence(text: string): ParsedInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Type a sequence, e.g. 70, 80, 90 or [[1, 0], [0, 1]].' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed.startsWith('[') ? trimmed : `[${trimmed}]`);
  } catch {
    return { ok: false, message: 'Not a sequence of numbers: write 70, 80, 90 or [[1, 0], [0, 1]] (numbers separated by commas).' };
  }
  if (!Array.isArray(value)) return { ok: false, message: 'Not a sequence: write 70, 80, 90 or [[1, 0], [0, 1]].' };
  // Steps of one value may be written bare; what each step holds is checked with the model.
  return { ok: true, input: value.map((step: unknown) => (Array.isArray(step) ? step : [step])) };
}

/** Parse then check: the input box's validator and the command's last check. */
export function validateSequence(text: string, model: ModelInfo): ParsedInput {
  const parsed = parseSequence(text);
  if (!parsed.ok) return parsed;
  const problem = predictInputProblem(parsed.input, model);
  return problem ? { ok: false, message: problem } : parsed;
}
