import * as vscode from 'vscode';
import { createNonce, html } from './html';
import { describeMessage } from '../../../webview/messageCheck';
import { isWebviewMessage, type HostToWebview, type PanelKind, type WebviewToHost } from '../../../webview/protocol';
import { saveExport } from './exportFiles';

// What the panels (loss, prediction, summary, compare) share: one webview panel per kind
// (panelSlot.ts), the CSP page from src/extension/panels/html.ts serving only dist/webview/,
// messages held back until the page says it is ready, PNG/CSV exports through save dialogs,
// and revival after a window reload.
//
// State across hide and reload lives in the page itself (getState/setState in the bundles), so
// retainContextWhenHidden is not needed: a hidden panel's page is torn down and, when shown
// again, restores its state and sends `ready`, at which point the host replays what it knows
// (`replay()`), e.g. a run that went on while the panel was hidden.

export interface PanelKindInfo {
  kind: PanelKind;
  /** The webview panel's viewType, also the serializer's and the activation event's. */
  viewType: string;
  title: string;
}

export interface PanelHostDeps {
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
}

/** The bundles' folder: the only local resource a panel may load. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export function renderPage(webview: vscode.Webview, extensionUri: vscode.Uri, info: PanelKindInfo): string {
  const root = webviewRoot(extensionUri);
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
  return html({
    panel: info.kind,
    title: info.title,
    scriptUri: uri(`${info.kind}.js`),
    styleUris: [uri(`${info.kind}.css`)],
    cspSource: webview.cspSource,
    nonce: createNonce(),
  });
}

export abstract class PanelHost implements vscode.Disposable {
  private ready = false;
  private queue: HostToWebview[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Fires when the user closes the panel. */
  readonly onDidDispose: vscode.Event<void>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly deps: PanelHostDeps,
    protected readonly info: PanelKindInfo,
  ) {
    this.onDidDispose = this.disposeEmitter.event;
    panel.webview.options = webviewOptions(deps.context.extensionUri);
    panel.webview.html = renderPage(panel.webview, deps.context.extensionUri, info);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receiveChecked(m)),
      panel.onDidChangeViewState(() => {
        // A page that is being re-created after hiding says `ready` again; until then, queue.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Sends now when the page listens, else once it says it is ready. */
  post(message: HostToWebview): void {
    if (this.disposed) return;
    if (this.ready) void this.panel.webview.postMessage(message);
    else if (!this.replayCoversAll()) this.queue.push(message);
  }

  reveal(preserveFocus = true): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** Messages that bring a freshly loaded page up to date with what the host knows. */
  protected abstract replay(): HostToWebview[];

  /** True when replay() rebuilds everything, so nothing needs queueing while the page is away. */
  protected replayCoversAll(): boolean {
    return false;
  }

  /** Messages other than ready/export/error, for the panel to handle (stop, reveal). */
  protected handle(_message: WebviewToHost): void | Promise<void> {}

  /** A page's message, checked before use: anything malformed is dropped and logged, never thrown. */
  private receiveChecked(message: unknown): void {
    if (!isWebviewMessage(message)) {
      this.deps.output.warn(`[${this.info.kind} panel] dropped a malformed message: ${describeMessage(message)}`);
      return;
    }
    this.receive(message).catch((e: unknown) => this.deps.output.error(`[${this.info.kind} panel] handling ${message.type} failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async receive(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        // The replay covers everything queued before: drop the queue to avoid doubles.
        const pending = this.queue;
        this.queue = [];
        const replay = this.replay();
        for (const m of replay.length > 0 ? replay : pending) void this.panel.webview.postMessage(m);
        return;
      }
      case 'exportCsv':
        await saveExport(this.deps.output, message.suggestedName, 'csv', message.content);
        return;
      case 'exportPng':
        await saveExport(this.deps.output, message.suggestedName, 'png', message.dataUrl);
        return;
      case 'error':
        this.deps.output.error(`[${message.panel} panel] ${message.message}`);
        return;
      default:
        await this.handle(message);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/**
 * The column right of the .seqmodel editor. ViewColumn.Beside is relative to the active group,
 * which is a panel's own when the user last clicked in one: panels would march off to the right.
 */
function besideSource(): vscode.ViewColumn {
  const source = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'seqmodel');
  const column = source?.viewColumn;
  return column !== undefined && column < vscode.ViewColumn.Nine ? ((column + 1) as vscode.ViewColumn) : vscode.ViewColumn.Beside;
}

/** Creates a panel beside the source editor, without taking focus from it. */
export function createPanel(deps: PanelHostDeps, info: PanelKindInfo): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    info.viewType,
    info.title,
    { viewColumn: besideSource(), preserveFocus: true },
    webviewOptions(deps.context.extensionUri),
  );
}
