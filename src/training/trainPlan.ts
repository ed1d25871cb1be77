// What a `train` statement trains and the request each of its models is trained with: the one
// home of these rules for the CLI (`seqmodel train`), the editor (Train, Train all and
// compare) and the tests. The caller supplies what differs between them: where the runs go,
// the backend, an epochs override and how to ask about data outside the workspace.

import * as path from 'node:path';
import type { Analysis, ModelInfo, TrainInfo, TrainSettings } from '../language';
import type { BackendPreference } from './backendPreference';
import type { OutsideConsent } from './data/fileAccess';
import type { TrainingRequest } from './runner';

export interface TrainJob {
  model: ModelInfo;
  train: TrainInfo;
}

export interface RequestContext {
  /** The .seqmodel file on disk. */
  documentPath: string;
  /** The workspace folder holding it (its folder when it is in none; the CLI's working directory). */
  workspaceFolder: string;
  backend: BackendPreference;
  /** Train this many epochs instead of the train block's (0 or undefined: as written). */
  epochsOverride?: number;
  allowOutside: boolean | OutsideConsent;
  /** Keep a record under <workspace>/.seqmodel/runs. */
  save: boolean;
  /** Progress messages per second within an epoch (0: one per epoch). */
  batchRate: number;
}

/**
 * The models to train, in file order, each once, with the first train block that names it;
 * `only` keeps one model, `block` one train block.
 */
export function trainJobs(analysis: Analysis, only?: string, block?: TrainInfo): TrainJob[] {
  const jobs: TrainJob[] = [];
  for (const train of block ? [block] : analysis.trains) {
    for (const name of train.models) {
      if (only !== undefined && name !== only) continue;
      const model = analysis.models.find((m) => m.name === name);
      if (model && !jobs.some((j) => j.model.name === name)) jobs.push({ model, train });
    }
  }
  return jobs;
}

/** Why a job cannot be trained (errors in the file, an invalid model, missing data), or null. */
export function jobProblem(analysis: Analysis, job: TrainJob): string | null {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return `The file has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors[0].message} Fix ${errors.length === 1 ? 'it' : 'them'} before training.`;
  if (!job.model.valid) return `Model '${job.model.name}' has errors; fix them before training.`;
  if (!analysis.data.some((d) => d.name === job.train.data)) return `The data '${job.train.data}' of the train block is not defined.`;
  return null;
}

export function runsDirOf(workspaceFolder: string): string {
  return path.join(workspaceFolder, '.seqmodel', 'runs');
}

/** How a run records its .seqmodel file: relative to the workspace folder, '/'-separated on every platform. */
export function sourceOf(workspaceFolder: string, documentPath: string): string {
  return path.relative(workspaceFolder, documentPath).split(path.sep).join('/');
}

export function effectiveSettings(settings: TrainSettings, epochsOverride?: number): TrainSettings {
  return epochsOverride && epochsOverride > 0 ? { ...settings, epochs: Math.floor(epochsOverride) } : settings;
}

export function trainingRequest(analysis: Analysis, job: TrainJob, ctx: RequestContext): TrainingRequest {
  const data = analysis.data.find((d) => d.name === job.train.data);
  if (!data) throw new Error(`The data '${job.train.data}' is not defined.`);
  return {
    model: job.model,
    data,
    settings: effectiveSettings(job.train.settings, ctx.epochsOverride),
    predicts: analysis.predicts.filter((p) => p.model === job.model.name),
    backend: ctx.backend,
    baseDir: path.dirname(ctx.documentPath),
    source: sourceOf(ctx.workspaceFolder, ctx.documentPath),
    workspaceFolder: ctx.workspaceFolder,
    allowOutside: ctx.allowOutside,
    runsDir: ctx.save ? runsDirOf(ctx.workspaceFolder) : null,
    batchRate: ctx.batchRate,
  };
}
