// Messages between the editor and the predict worker (predictWorker.ts): one request, one reply.

import type { BackendPreference } from './backendPreference';
import type { NestedNumbers } from './protocol';

export interface PredictRequest {
  type: 'predict';
  /** A saved run's folder holding model.json and weights.bin. */
  runPath: string;
  /** One input sequence, steps × features. */
  input: number[][];
  backend: BackendPreference;
}

export type PredictReply =
  | { type: 'result'; output: NestedNumbers | null; backend: string }
  | { type: 'error'; message: string };

export function isPredictRequest(value: unknown): value is PredictRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<PredictRequest>;
  return v.type === 'predict' && typeof v.runPath === 'string' && Array.isArray(v.input) && typeof v.backend === 'string';
}

export function isPredictReply(value: unknown): value is PredictReply {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'result' || type === 'error';
}
