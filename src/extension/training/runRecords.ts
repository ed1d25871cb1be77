// Conversions between the training side's records (Keras-style histories, saved runs) and the
// loss panel's run records. Pure (no vscode).

import type { ModelInfo } from '../../language';
import type { EpochProgress, History } from '../../training/protocol';
import type { SavedRun } from '../../training/runStore';
import type { EpochLogs, EpochRecord, RunRecord } from '../../../webview/protocol';

/** One epoch's logs as Keras names them: loss, val_loss and the metrics (val_ ones included). */
export function epochLogs(p: EpochProgress): EpochLogs {
  const logs: EpochLogs = { loss: p.loss };
  if (p.valLoss !== null) logs.val_loss = p.valLoss;
  for (const [k, v] of Object.entries(p.metrics)) logs[k] = v;
  return logs;
}

/** A column-wise history as one record per epoch (epochs counted from 1). */
export function historyEpochs(history: History): EpochRecord[] {
  const length = Math.max(0, ...Object.values(history).map((v) => v.length));
  const epochs: EpochRecord[] = [];
  for (let i = 0; i < length; i++) {
    const logs: EpochLogs = {};
    for (const [key, values] of Object.entries(history)) if (i < values.length && Number.isFinite(values[i])) logs[key] = values[i];
    epochs.push({ epoch: i + 1, logs });
  }
  return epochs;
}

/**
 * A saved run as the loss panel shows it. The run folder holds no model description: the
 * caller passes the current analysis's model of that name, or a bare stand-in.
 */
export function savedRunRecord(run: SavedRun, model: ModelInfo | undefined): RunRecord {
  // Records without a status (saved before stopped runs were kept) are done; a run with fewer
  // epochs than asked was stopped all the same.
  const stopped = run.status === 'stopped' || run.meta.epochs < run.meta.settings.epochs;
  return {
    runId: `${run.meta.model}/${run.id}`,
    label: `${run.meta.model} ${shortTime(run.meta.finishedAt)}`,
    model: model ?? standInModel(run.meta.model, run.meta.params),
    backend: run.meta.backend,
    settings: run.meta.settings,
    ...(run.meta.paths ? { paths: run.meta.paths } : {}),
    status: run.status === 'failed' ? 'failed' : stopped ? 'stopped' : 'completed',
    epochs: historyEpochs(run.history),
  };
}

/** "2026-11-22 01:47" from an ISO timestamp (UTC: runs are named in UTC too). */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}

function standInModel(name: string, params: number): ModelInfo {
  return {
    name,
    span: { start: 0, end: 0 },
    nameSpan: { start: 0, end: 0 },
    inputShape: null,
    layers: [],
    outputShapes: [],
    params: { total: params, trainable: params, nonTrainable: 0 },
    valid: true,
  };
}
