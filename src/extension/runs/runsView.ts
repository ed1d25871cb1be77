import * as path from 'node:path';
import * as vscode from 'vscode';
import { type RunsScan, scanRuns } from '../../training/runStore';
import { runsDirOf } from '../../training/trainPlan';
import { runRoots } from '../training/savedRuns';
import type { TrainingController } from '../training/trainingController';
import { buildRunsTree, type RunsNode, type RunsRoot, type RunStatusIcon } from './runsTree';

// The SeqModel Runs view (package.json contributes.views: seqmodel.runs): a thin adapter from
// runsTree.ts's nodes to VS Code's tree items. It rescans the runs folders when files under
// them change (a file system watcher per root, debounced: saving one run is several events)
// and redraws from the last scan on every epoch of the training in progress.

/** The view's id in package.json. */
export const RUNS_VIEW_ID = 'seqmodel.runs';

const RESCAN_DELAY_MS = 200;

const ICONS: Record<RunStatusIcon, vscode.ThemeIcon> = {
  done: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  stopped: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  running: new vscode.ThemeIcon('sync~spin'),
  broken: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  foreign: new vscode.ThemeIcon('question'),
};

const GROUP_ICONS: Record<string, vscode.ThemeIcon> = {
  root: new vscode.ThemeIcon('root-folder'),
  file: new vscode.ThemeIcon('file'),
  model: new vscode.ThemeIcon('symbol-class'),
  problems: new vscode.ThemeIcon('warning'),
};

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private roots: RunsRoot[] = [];
  private nodes: RunsNode[] = [];
  private scanned: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly watchers = new Map<string, vscode.FileSystemWatcher>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<readonly RunsNode[]>();
  /** Fires after each redraw with the new top level (tests wait on it). */
  readonly onDidRefresh = this.refreshed.event;

  constructor(
    private readonly controller: TrainingController,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.changed,
      this.refreshed,
      controller.onDidChangeLive((live) => {
        this.redraw();
        // Its run is saved just before: the watcher will also see it, but it may be slower.
        if (!live) this.scheduleRescan();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRescan()),
      // Files opened outside any folder bring their own runs folder (runRoots).
      vscode.workspace.onDidOpenTextDocument((d) => d.languageId === 'seqmodel' && this.scheduleRescan()),
      vscode.workspace.onDidCloseTextDocument((d) => d.languageId === 'seqmodel' && this.scheduleRescan()),
    );
  }

  /** The view's top level as last drawn. */
  get topLevel(): readonly RunsNode[] {
    return this.nodes;
  }

  /** Rescans every runs folder now and redraws; resolves when drawn. */
  rescan(): Promise<void> {
    clearTimeout(this.timer);
    const scan = this.scanAll();
    this.scanned = scan;
    return scan;
  }

  scheduleRescan(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.rescan(), RESCAN_DELAY_MS);
  }

  private async scanAll(): Promise<void> {
    const folders = runRoots();
    const named = vscode.workspace.workspaceFolders ?? [];
    const roots: RunsRoot[] = [];
    for (const folder of folders) {
      const scan: RunsScan = await scanRuns(runsDirOf(folder)).catch((e: unknown) => {
        this.output.warn(`Runs view: could not read ${runsDirOf(folder)}: ${e instanceof Error ? e.message : String(e)}`);
        return { runs: [], problems: [] };
      });
      roots.push({ folder, name: named.find((f) => f.uri.fsPath === folder)?.name ?? path.basename(folder), scan });
    }
    this.roots = roots;
    this.watch(folders);
    this.redraw();
  }

  private redraw(): void {
    this.nodes = buildRunsTree(this.roots, this.controller.live);
    this.changed.fire();
    this.refreshed.fire(this.nodes);
  }

  /** One watcher per root's runs folder; dropped with the root. */
  private watch(folders: readonly string[]): void {
    for (const [folder, watcher] of this.watchers) {
      if (folders.includes(folder)) continue;
      watcher.dispose();
      this.watchers.delete(folder);
    }
    for (const folder of folders) {
      if (this.watchers.has(folder)) continue;
      // Based at the runs folder itself, not the root: a recursive watcher on a root outside the
      // workspace would watch its whole tree (a home folder, a repository with node_modules).
      // VS Code starts watching a path that does not exist yet once it is created.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runsDirOf(folder)), '**'));
      const rescan = () => this.scheduleRescan();
      watcher.onDidCreate(rescan);
      watcher.onDidChange(rescan);
      watcher.onDidDelete(rescan);
      this.watchers.set(folder, watcher);
    }
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (node) return node.kind === 'run' || node.kind === 'problem' ? [] : node.children;
    if (!this.scanned) await this.rescan();
    else await this.scanned;
    return this.nodes.slice();
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    const leaf = node.kind === 'run' || node.kind === 'problem';
    const item = new vscode.TreeItem(node.label, leaf ? vscode.TreeItemCollapsibleState.None : node.kind === 'problems' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    if (node.kind === 'run' || node.kind === 'problem') {
      item.contextValue = node.contextValue;
      item.iconPath = ICONS[node.icon];
      if (node.kind === 'run') {
        // A click opens the run's loss curves (the running one's live chart).
        item.command = { command: 'seqmodel.runs.openLoss', title: 'Open Loss Panel', arguments: [node] };
      }
    } else {
      item.contextValue = `runs.${node.kind}`;
      item.iconPath = GROUP_ICONS[node.kind];
    }
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
