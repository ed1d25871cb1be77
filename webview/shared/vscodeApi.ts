// Access to the host: VS Code injects acquireVsCodeApi() into every webview; it may be called
// only once per page, so this module calls it once and shares the handle.
import type { PanelKind, WebviewToHost } from '../protocol';

interface VsCodeApi<State> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

let api: VsCodeApi<unknown> | undefined;

function vscode<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

export function post(message: WebviewToHost): void {
  vscode().postMessage(message);
}

export function loadState<State>(): State | undefined {
  return vscode<State>().getState();
}

/**
 * Writes `state` now. VS Code keeps one state per webview, so a caller saving part of it at once
 * (view settings) passes the whole object. A failure is reported, never thrown: losing the saved
 * state only costs a restore; it must not break the live panel.
 */
export function writeState<State>(state: State): void {
  try {
    vscode<State>().setState(state);
  } catch (error) {
    post({ type: 'error', panel: document.body.dataset.panel as PanelKind, message: `could not save the panel state: ${String(error)}` });
  }
}

/**
 * Saves the state at most once per `delayMs`: a live run sends epochs far faster than it is
 * worth serialising the whole history, and VS Code persists only the last state anyway. A save
 * that proves expensive (a 100,000-epoch history) stretches the interval to 20× its own cost, so
 * saving never takes more than ~5% of the page's time, and waits for an idle moment.
 */
export function stateSaver<State>(snapshot: () => State, delayMs = 300): { schedule(): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastCost = 0;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const started = performance.now();
    writeState(snapshot());
    lastCost = performance.now() - started;
  };
  // A hidden panel may be torn down without notice; save what is pending when the page goes.
  window.addEventListener('pagehide', () => {
    if (timer !== undefined) flush();
  });
  return {
    schedule() {
      if (timer !== undefined) return;
      const delay = Math.max(delayMs, lastCost * 20);
      timer = setTimeout(() => {
        if (delay > delayMs && 'requestIdleCallback' in window) requestIdleCallback(flush, { timeout: delay });
        else flush();
      }, delay);
    },
    flush,
  };
}
