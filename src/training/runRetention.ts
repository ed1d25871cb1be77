// Run retention: how many runs of each model to keep under .seqmodel/runs (the setting
// seqmodel.runs.keepPerModel). Pure: it only chooses; the caller deletes (the editor through
// its file system API). A run being trained is never on disk until it ends (runStore.ts saves
// atomically), so it can never be chosen; pinned runs are never chosen and do not count.

import { newestFirst, type SavedRun } from './runStore';

/** The default of seqmodel.runs.keepPerModel. */
export const DEFAULT_KEEP_PER_MODEL = 20;

/**
 * The runs to prune: per model, every unpinned run older than its `keepPerModel` newest
 * unpinned ones. 0 (or less, or not a number) keeps every run.
 */
export function runsToPrune(runs: readonly SavedRun[], keepPerModel: number): SavedRun[] {
  if (!Number.isFinite(keepPerModel) || keepPerModel < 1) return [];
  const keep = Math.floor(keepPerModel);
  const byModel = new Map<string, SavedRun[]>();
  for (const run of runs) {
    if (run.pinned) continue;
    // The model's folder, not meta.model: the folder is what holds the runs together.
    const key = run.path.slice(0, run.path.length - run.id.length);
    byModel.set(key, [...(byModel.get(key) ?? []), run]);
  }
  const prune: SavedRun[] = [];
  for (const group of byModel.values()) prune.push(...[...group].sort(newestFirst).slice(keep));
  return prune;
}

