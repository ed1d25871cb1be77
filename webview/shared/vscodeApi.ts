// Access to the host: VS Code injects acquireVsCodeApi() into every webview; it may be called
// only once per page, so this module calls it once and shares the handle.
import type { WebviewToHost } from '../protocol';

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
 * Saves the state at most once per `delayMs`: a live run sends epochs far faster than it is
 * worth serialising the whole history, and VS Code persists only the last state anyway.
 */
export function stateSaver<State>(snapshot: () => State, delayMs = 300): { schedule(): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    vscode<State>().setState(snapshot());
  };
  // A hidden panel may be torn down without notice; save what is pending when the page goes.
  window.addEventListener('pagehide', () => {
    if (timer !== undefined) flush();
  });
  return {
    schedule() {
      timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}
