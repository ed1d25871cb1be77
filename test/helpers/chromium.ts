import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Debian's chromium, driven through playwright-core, for the webview tests, the VS Code
// (code-server) tests and the chart benchmark alike. Playwright's own browsers are never
// downloaded.

/** The browser binary; SEQMODEL_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.SEQMODEL_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep chromium from phoning home (the network here is closed) or needing a GPU or a sandbox. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** A headless chromium, or a plain error saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium()) throw new Error(`no Chromium at ${CHROMIUM}: run bash scripts/apt-ensure.sh chromium (or set SEQMODEL_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
