// The prediction panel's figures of a run (the worker's evaluation, see training/evaluation.ts)
// kept beside the run's other records as evaluation.json, so "Open run" can show them again.
// Written by the editor after the run is saved: the run store's own files stay as they are.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Evaluation } from '../../training/protocol';

export const EVALUATION_FILE = 'evaluation.json';

export async function writeEvaluation(runPath: string, evaluation: Evaluation): Promise<void> {
  await fs.writeFile(path.join(runPath, EVALUATION_FILE), `${JSON.stringify(evaluation)}\n`);
}

/** The saved evaluation, or null for a run without one (older runs, CLI runs). */
export async function readEvaluation(runPath: string): Promise<Evaluation | null> {
  try {
    const value = JSON.parse(await fs.readFile(path.join(runPath, EVALUATION_FILE), 'utf8')) as Evaluation;
    return value && (value.task === 'forecast' || value.task === 'classification') ? value : null;
  } catch {
    return null;
  }
}
