import * as vscode from 'vscode';

// What the extension-host suites wait for: the language server and the panels answer
// asynchronously, so a check polls until it holds or the time is up.

export async function eventually<T>(get: () => Thenable<T> | T, ok: (v: T) => boolean, what: string, timeoutMs = 30000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const last = await get();
    if (ok(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The view types of the open webview tabs (VS Code may prefix them). */
export function webviewTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap((t) => (t.input instanceof vscode.TabInputWebview ? [t.input.viewType] : []));
}

export const hasPanel = (viewType: string): boolean => webviewTabs().some((v) => v.endsWith(viewType));
