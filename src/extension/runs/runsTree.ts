// The SeqModel Runs view's tree, built from scans of runs folders and the training in progress:
// files, then models, then runs, newest first at every level, and the folders that are not
// runs in a group of their own. Pure (no vscode, no file system): runsView.ts reads the folders
// and turns these nodes into tree items, so the whole shape of the view is unit-tested.

import { formatValue } from '../../language';
import type { History } from '../../training/protocol';
import type { RunProblem, RunsScan, SavedRun } from '../../training/runStore';
import { pathLine } from '../../training/pathLine';
import { shortTime } from '../training/runRecords';

/** One folder whose runs are listed: a workspace folder, or the folder of a file opened alone. */
export interface RunsRoot {
  /** The folder (its .seqmodel/runs holds the runs). */
  folder: string;
  /** Its name as shown when there are several roots. */
  name: string;
  scan: RunsScan;
}

/** The training in progress, as the view shows it before its run is saved. */
export interface LiveRun {
  /** The root folder it saves into. */
  folder: string;
  /** The .seqmodel file, relative to the root ('/'-separated). */
  source: string;
  model: string;
  /** Epochs done so far (0 before the first ends) and asked for. */
  epoch: number;
  epochs: number;
  /** The last epoch's logs: loss, val_loss, metrics. */
  logs: Record<string, number>;
  /** The backend, once the worker has said. */
  backend: string | null;
  startedAt: string;
}

export type RunStatusIcon = 'done' | 'stopped' | 'failed' | 'running' | 'broken' | 'foreign';

interface NodeBase {
  /** Stable across refreshes, so expansion and selection survive them. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
}

export interface GroupNode extends NodeBase {
  kind: 'root' | 'file' | 'model' | 'problems';
  children: RunsNode[];
}

export interface RunNode extends NodeBase {
  kind: 'run';
  /** `run`, `run.pinned`, `run.running`, `run.broken`: menus match them with /^run/. */
  contextValue: string;
  icon: RunStatusIcon;
  /** The run's folder (absent for the run in progress): the name other commands read from tree items (runArguments.ts). */
  runDir?: string;
  run?: SavedRun;
}

export interface ProblemNode extends NodeBase {
  kind: 'problem';
  contextValue: 'run.broken' | 'foreign';
  icon: 'broken' | 'foreign';
  folder: string;
}

export type RunsNode = GroupNode | RunNode | ProblemNode;

/** A file group's label for runs saved before the source file was recorded. */
export const UNKNOWN_FILE = '(file not recorded)';

/**
 * The view's top level. With one root its files are the top level; with several, each root
 * is a group. A root without runs or problems is left out (the view's welcome text shows when
 * nothing is left).
 */
export function buildRunsTree(roots: readonly RunsRoot[], live: LiveRun | null = null): RunsNode[] {
  const shown = roots.filter((r) => r.scan.runs.length > 0 || r.scan.problems.length > 0 || live?.folder === r.folder);
  const trees = shown.map((root) => ({ root, children: rootChildren(root, live?.folder === root.folder ? live : null) }));
  if (trees.length === 1 && roots.length === 1) return trees[0].children;
  return trees.map(({ root, children }) => ({ kind: 'root', id: `root:${root.folder}`, label: root.name, description: root.folder, children }));
}

interface Entry {
  source: string | undefined;
  model: string;
  node: RunNode;
}

function rootChildren(root: RunsRoot, live: LiveRun | null): RunsNode[] {
  // scanRuns lists newest first; the run in progress is newer still.
  const entries: Entry[] = root.scan.runs.map((run) => ({ source: run.meta.source, model: run.meta.model, node: runNode(run) }));
  if (live) entries.unshift({ source: live.source, model: live.model, node: liveNode(live) });

  const files = groupBy(entries, (e) => e.source ?? '');
  const nodes: RunsNode[] = [...files.entries()].map(([source, inFile]) => {
    const models = groupBy(inFile, (e) => e.model);
    const fileId = `file:${root.folder}|${source}`;
    return {
      kind: 'file',
      id: fileId,
      label: source === '' ? UNKNOWN_FILE : source,
      description: count(inFile.length, 'run'),
      children: [...models.entries()].map(([model, runs]): GroupNode => ({
        kind: 'model',
        id: `model:${root.folder}|${source}|${model}`,
        label: model,
        description: count(runs.length, 'run'),
        children: runs.map((e) => e.node),
      })),
    };
  });
  if (root.scan.problems.length > 0) {
    nodes.push({
      kind: 'problems',
      id: `problems:${root.folder}`,
      label: 'Not readable as runs',
      description: count(root.scan.problems.length, 'folder'),
      tooltip: 'Folders under .seqmodel/runs that are not readable runs: broken ones (meta.json unreadable or half-written) and foreign ones (not made by training).',
      children: root.scan.problems.map((p) => problemNode(root, p)),
    });
  }
  return nodes;
}

/** Groups in first-seen order: entries arrive newest first, so each group's newest decides its place. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function runNode(run: SavedRun): RunNode {
  const metrics = finalLogs(run.history);
  const duration = formatSeconds(run.meta.seconds);
  const epochs = `${run.meta.epochs}/${run.meta.settings.epochs} epochs`;
  const path = pathSummary(run);
  return {
    kind: 'run',
    id: `run:${run.path}`,
    label: shortTime(run.meta.finishedAt),
    description: [run.pinned ? 'pinned' : '', run.status, logsText(metrics), epochs, duration, run.meta.backend, path].filter(Boolean).join(' · '),
    tooltip: runTooltip(run, metrics, epochs, duration),
    contextValue: run.pinned ? 'run.pinned' : 'run',
    icon: run.status,
    runDir: run.path,
    run,
  };
}

function liveNode(live: LiveRun): RunNode {
  const epoch = `epoch ${live.epoch}/${live.epochs}`;
  return {
    kind: 'run',
    id: `live:${live.folder}|${live.source}|${live.model}`,
    label: 'running',
    description: ['running', epoch, logsText(live.logs), live.backend ?? ''].filter(Boolean).join(' · '),
    tooltip: [`${live.model}: training, ${epoch}`, logsText(live.logs), live.backend ? `${live.backend} backend` : 'starting the worker…', `started ${shortTime(live.startedAt)} UTC`]
      .filter(Boolean)
      .join('\n'),
    contextValue: 'run.running',
    icon: 'running',
  };
}

function problemNode(root: RunsRoot, problem: RunProblem): ProblemNode {
  const relative = problem.folder.startsWith(root.folder) ? problem.folder.slice(root.folder.length + 1) : problem.folder;
  return {
    kind: 'problem',
    id: `problem:${problem.folder}`,
    label: relative.split(/[\\/]/).slice(-2).join('/'),
    description: problem.kind === 'broken' ? `broken: ${problem.why}` : `not a run: ${problem.why}`,
    tooltip: `${problem.folder}\n${problem.kind === 'broken' ? 'A run folder that cannot be read' : 'Not made by training'}: ${problem.why}.`,
    // Only a run's folder that broke is offered the run actions that still make sense (reveal, delete).
    contextValue: problem.kind === 'broken' ? 'run.broken' : 'foreign',
    icon: problem.kind,
    folder: problem.folder,
  };
}

/** The last finite value of each history key: the final loss and metrics. */
export function finalLogs(history: History): Record<string, number> {
  const logs: Record<string, number> = {};
  for (const [key, values] of Object.entries(history)) {
    for (let i = values.length - 1; i >= 0; i--) {
      if (Number.isFinite(values[i])) {
        logs[key] = values[i];
        break;
      }
    }
  }
  return logs;
}

/** "loss 0.01235, val_loss 0.02, mae 0.1": loss first, then val_loss, then the metrics as trained. */
function logsText(logs: Record<string, number>): string {
  const keys = Object.keys(logs).sort((a, b) => rank(a) - rank(b));
  return keys.map((k) => `${k} ${formatValue(logs[k])}`).join(', ');
}

function rank(key: string): number {
  return key === 'loss' ? 0 : key === 'val_loss' ? 1 : key.startsWith('val_') ? 3 : 2;
}

/** "whole model + fused", "fused", "tfjs layers", ...: the training loop and the recurrent layers' paths, in brief. */
function pathSummary(run: SavedRun): string {
  // The model's loop is named when it is the whole-model one (tfjs's own loop is the default, as in runs saved before it).
  const brief = (p: NonNullable<SavedRun['meta']['paths']>[number]): string | null =>
    p.layer === '' ? (p.path === 'whole-model' ? 'whole model' : null) : p.path === 'fused' ? 'fused' : 'tfjs layers';
  const kinds = [...new Set((run.meta.paths ?? []).map(brief).filter((k): k is string => k !== null))];
  return kinds.join(' + ');
}

function runTooltip(run: SavedRun, logs: Record<string, number>, epochs: string, duration: string): string {
  const s = run.meta.settings;
  const lines = [
    `${run.meta.model} on ${run.meta.data}${run.meta.source ? ` (${run.meta.source})` : ''}`,
    `${run.status}${run.pinned ? ', pinned' : ''}${run.status === 'failed' && run.meta.error ? `: ${run.meta.error.message}` : ''}${run.hasModel ? '' : ' (no trained model saved)'}`,
    `final ${logsText(logs) || 'loss: none'}`,
    `${epochs} in ${duration} on the ${run.meta.backend} backend`,
    `${s.optimizer.name}${typeof s.optimizer.args['learning_rate'] === 'number' ? ` (learning_rate ${s.optimizer.args['learning_rate']})` : ''}, batch_size ${s.batchSize}, loss ${s.loss}${s.seed !== null ? `, seed ${s.seed}` : ''}`,
    ...(run.meta.paths ?? []).map(pathLine),
    `finished ${shortTime(run.meta.finishedAt)} UTC`,
    run.path,
  ];
  return lines.join('\n');
}

/** "0.8 s", "42 s", "3 min 5 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (Math.round(seconds * 10) < 100) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
