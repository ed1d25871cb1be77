// The page side of a panel: an iframe running one of the extension's webview bundles
// (summary, loss, prediction) unchanged, fed the same messages the extension host sends.
import type { HostToWebview, PanelKind, WebviewToHost } from '../protocol';
import type { TestTheme } from '../shared/vscodeThemes';
import { isFrameToPage, type ThemeMessage } from './panelProtocol';

export class PanelFrame {
  readonly frame: HTMLIFrameElement;
  private ready = false;
  private queue: HostToWebview[] = [];
  private theme: TestTheme | undefined;

  constructor(
    readonly panel: PanelKind,
    base: URL,
    title: string,
    private readonly onMessage: (message: WebviewToHost) => void,
  ) {
    this.frame = document.createElement('iframe');
    this.frame.className = `panel panel-${panel}`;
    this.frame.title = title;
    this.frame.src = new URL(`panels/${panel}.html`, base).href;
    window.addEventListener('message', (event) => {
      if (event.source !== this.frame.contentWindow || event.origin !== location.origin || !isFrameToPage(event.data)) return;
      const message = event.data.message;
      if (message.type === 'ready') {
        this.ready = true;
        if (this.theme) this.sendTheme(this.theme);
        for (const queued of this.queue.splice(0)) this.post(queued);
      }
      this.onMessage(message);
    });
  }

  /** Sends now, or once the panel has said it is ready (as VS Code's webviews queue nothing). */
  post(message: HostToWebview): void {
    if (!this.ready || !this.frame.contentWindow) {
      // Only the latest of a kind matters for a panel that has not shown anything yet.
      this.queue = this.queue.filter((m) => m.type !== message.type || m.type === 'epoch' || m.type === 'epochs');
      this.queue.push(message);
      return;
    }
    this.frame.contentWindow.postMessage(message, location.origin);
  }

  setTheme(theme: TestTheme): void {
    this.theme = theme;
    // A panel not ready yet gets it with its first messages.
    if (this.ready) this.sendTheme(theme);
  }

  private sendTheme(theme: TestTheme): void {
    const message: ThemeMessage = { type: 'playgroundTheme', theme };
    this.frame.contentWindow?.postMessage(message, location.origin);
  }
}
