import * as vscode from 'vscode';
import * as path from 'node:path';
import { analyze, formatValue, type Analysis, type ModelInfo } from '../../language';
import { listRuns, newestFirst, type SavedRun } from '../../training/runStore';
import { runsDirOf } from '../../training/trainPlan';
import type { PanelHostDeps } from '../panels/panelHost';
import { shortTime } from './runRecords';

// Where the editor finds saved runs and the models they came from, for Open Run and the
// comparison table. Reading JSON records runs nothing, so this works in untrusted workspaces.

/**
 * Every saved run, newest first: under each workspace folder, and beside open .seqmodel files
 * outside any folder (training saves their runs there). Folders that are not runs are skipped
 * and logged.
 */
export async function workspaceRuns(deps: PanelHostDeps, purpose: string): Promise<SavedRun[]> {
  const skipped = (folder: string, why: string) => deps.output.warn(`${purpose}: skipped ${folder}: ${why}.`);
  const runs: SavedRun[] = [];
  for (const root of runRoots()) runs.push(...(await listRuns(runsDirOf(root), undefined, skipped).catch(() => [])));
  return runs.sort(newestFirst);
}

/**
 * Where runs are: each workspace folder, and the folder of each open .seqmodel file outside
 * any (training saves their runs beside them: the only place when no folder is open).
 */
export function runRoots(): string[] {
  const roots = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
  for (const d of vscode.workspace.textDocuments) {
    if (d.languageId === 'seqmodel' && d.uri.scheme === 'file' && !vscode.workspace.getWorkspaceFolder(d.uri)) roots.add(path.dirname(d.uri.fsPath));
  }
  return [...roots];
}

/** A run in a quick pick: model, time and status, then how it went. */
export function runPickItem(r: SavedRun): vscode.QuickPickItem & { run: SavedRun } {
  return {
    label: `${r.meta.model}`,
    description: `${shortTime(r.meta.finishedAt)}${r.status === 'done' ? '' : ` · ${r.status}`}`,
    detail: `${r.status === 'failed' ? `failed (${r.meta.error?.kind ?? 'error'}), no model; ` : ''}${r.meta.epochs}/${r.meta.settings.epochs} epochs on ${r.meta.data}, ${r.meta.backend} backend, final loss ${last(r.history.loss)}${r.history.val_loss ? `, val_loss ${last(r.history.val_loss)}` : ''}`,
    run: r,
  };
}

function last(values: number[] | undefined): string {
  return formatValue(values?.[values.length - 1]);
}

export interface RunSource {
  model: ModelInfo;
  data: Analysis['data'];
  /** The .seqmodel file that defines the model. */
  uri: vscode.Uri;
}

/**
 * The model (and the file's data) a run was trained from: looked up in the open .seqmodel
 * documents first, then in the workspace's .seqmodel files. Several files may define a model
 * of that name (lstm): the one whose train block trains it on the run's data wins.
 */
export async function findRunSource(name: string, dataName: string): Promise<RunSource | undefined> {
  return (await findRunSources([{ model: name, data: dataName }]))[0];
}

/** findRunSource for several runs, reading and analysing each file once. */
export async function findRunSources(runs: readonly { model: string; data: string }[]): Promise<(RunSource | undefined)[]> {
  const open = vscode.workspace.textDocuments.filter((d) => d.languageId === 'seqmodel');
  const files = await vscode.workspace.findFiles('**/*.seqmodel', '**/node_modules/**', 50);
  const sources: { uri: vscode.Uri; analysis: () => Analysis }[] = open.map((d) => ({ uri: d.uri, analysis: once(() => analyze(d.getText())) }));
  for (const uri of files) {
    if (open.some((d) => d.uri.toString() === uri.toString())) continue;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    sources.push({ uri, analysis: once(() => analyze(text)) });
  }
  return runs.map(({ model: name, data: dataName }) => {
    let fallback: RunSource | undefined;
    for (const source of sources) {
      const analysis = source.analysis();
      const model = analysis.models.find((m) => m.name === name);
      if (!model) continue;
      const found = { model, data: analysis.data, uri: source.uri };
      if (analysis.trains.some((t) => t.data === dataName && t.models.includes(name))) return found;
      fallback ??= found;
    }
    return fallback;
  });
}

function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}
