// dist/playground/panels/host.js: runs in a panel's frame before the panel's bundle, standing
// in for what VS Code gives a webview. acquireVsCodeApi() posts to the playground page, and the
// state lives in sessionStorage (a reload keeps it, as VS Code keeps a hidden webview's). The
// page themes the frame with the same variables VS Code sets.
import type { WebviewToHost } from '../protocol';
import { applyTheme, isThemeMessage, type FrameToPage } from './panelProtocol';

const panel = document.body.dataset.panel ?? 'panel';
const stateKey = `seqmodel-playground-${panel}`;
let acquired = false;

Object.assign(window, {
  acquireVsCodeApi() {
    if (acquired) throw new Error('acquireVsCodeApi() may be called only once');
    acquired = true;
    return {
      postMessage(message: WebviewToHost) {
        const wrapped: FrameToPage = { source: 'seqmodel-panel', message };
        window.parent.postMessage(wrapped, location.origin);
      },
      getState() {
        const text = sessionStorage.getItem(stateKey);
        return text === null ? undefined : JSON.parse(text);
      },
      setState(state: unknown) {
        sessionStorage.setItem(stateKey, JSON.stringify(state));
      },
    };
  },
});

window.addEventListener('message', (event) => {
  if (event.origin === location.origin && isThemeMessage(event.data)) applyTheme(document, event.data.theme);
});
