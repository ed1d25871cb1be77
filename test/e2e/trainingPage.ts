import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';

// What the workbench tests that train share: finding the extension's webview panels in the
// page, and starting training from the palette with its model quick pick.

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The page of the webview panel whose body says `data-panel=<kind>`, once it is loaded. */
export async function panelFrame(page: Page, kind: 'loss' | 'prediction' | 'summary', timeoutMs = 60_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hosts = page.locator('iframe.webview.ready');
    const count = await hosts.count();
    for (let i = 0; i < count; i++) {
      const frame = hosts.nth(i).contentFrame().frameLocator('iframe#active-frame');
      if ((await frame.locator(`body[data-panel="${kind}"]`).count().catch(() => 0)) > 0) return frame;
    }
    await sleep(250);
  }
  throw new Error(`no ${kind} webview appeared within ${timeoutMs} ms`);
}

/**
 * Runs a palette command that opens a quick pick of its own: Workbench.runCommand waits for
 * the quick input to close, which such a command keeps open.
 *
 * Not from a webview's focus (a click in a panel leaves it there): keys pressed in a webview
 * reach the workbench only through its forwarding, asynchronously, so a second F1 of the loop
 * below can arrive after the command's pick opened and replace it with the palette; and when
 * the palette closes VS Code hands focus back to the webview, which takes it asynchronously
 * too, and a quick pick that opened meanwhile loses focus and closes (microsoft/vscode#93950).
 * Either way the pick never shows. Click the editor first.
 */
export async function runPickingCommand(page: Page, label: string): Promise<void> {
  if (await page.evaluate(() => document.activeElement?.matches('iframe.webview') ?? false)) {
    throw new Error(`runPickingCommand('${label}'): a webview has the focus; click the editor first`);
  }
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 0; attempt < 5 && !(await input.isVisible()); attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
  }
  await input.fill(`>${label}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().click();
}

/** Picks the model in the "Which model to train?" quick pick. */
export async function pickModel(page: Page, name: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input[placeholder="Which model to train?"]');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const labels = await page.locator('.quick-input-widget .monaco-list-row .label-name').allTextContents();
  assert.deepEqual(labels.map((l) => l.trim()), ['rnn', 'rnn_bn', 'lstm']);
  await input.fill(name);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}
