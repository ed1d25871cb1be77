// Loads a webview bundle in headless Chromium the way VS Code does: the page from src/extension/panels/html.ts
// with its CSP and nonce, resources from a stand-in cspSource origin, acquireVsCodeApi() replaced
// by a recorder of posted messages whose state survives reload (as VS Code's does), and the
// theme's variables and body class set before the bundle runs.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { createNonce, html } from '../../src/extension/panels/html';
import type { HostToWebview, PanelKind, WebviewToHost } from '../../webview/protocol';
import { themes, type ThemeName } from './themes';

const ORIGIN = 'https://webview.test';
const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'webview');

/**
 * The system Chromium (test/helpers/chromium.ts; Playwright's own browser downloads are never
 * used) for the tests of the enclosing `describe`: launched before them, closed after. Returns a
 * getter: the browser exists once the hook ran.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    browser = undefined;
  });
  return () => {
    if (!browser) throw new Error('the test browser is used outside the tests it was launched for');
    return browser;
  };
}

export interface WebviewPage {
  page: Page;
  context: BrowserContext;
  /** Messages the webview posted to the host, in order. */
  posted(): Promise<WebviewToHost[]>;
  send(message: HostToWebview): Promise<void>;
  /** CSP violations reported by the page (should stay empty). */
  cspViolations(): Promise<string[]>;
  /** Uncaught errors and console errors. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  /** Resolves after the page has rendered at least one more frame (rAF-batched updates). */
  frame(): Promise<void>;
  close(): Promise<void>;
}

const STAND_IN = readFileSync(path.join(__dirname, 'vscodeStandIn.js'), 'utf8');

export async function openWebview(
  browser: Browser,
  panel: PanelKind,
  theme: ThemeName,
  viewport = { width: 900, height: 760 },
): Promise<WebviewPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: theme === 'light' ? 'light' : 'dark' });
  // Nothing may leave the machine: every request is answered from dist/ or refused.
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === `/${panel}.html`) {
      return route.fulfill({
        contentType: 'text/html',
        body: html({
          panel,
          title: `SeqModel ${panel}`,
          scriptUri: `${ORIGIN}/dist/webview/${panel}.js`,
          styleUris: [`${ORIGIN}/dist/webview/${panel}.css`],
          cspSource: ORIGIN,
          nonce: createNonce(),
        }),
      });
    }
    if (url.pathname.startsWith('/dist/webview/')) {
      const file = path.join(ROOT, url.pathname);
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/json';
      return route.fulfill({ contentType: type, body: readFileSync(file) });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.addInitScript({ content: `const setup = ${JSON.stringify({ theme: themes[theme] })};\n${STAND_IN}` });
  await page.goto(`${ORIGIN}/${panel}.html`);
  try {
    await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'), undefined, { timeout: 15000 });
  } catch (error) {
    await context.close();
    throw new Error(`the ${panel} webview never posted "ready": ${errors.join('; ') || String(error)}`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    context,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted),
    send: async (message) => {
      await page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>);
    },
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    screenshot: async (name) => {
      const file = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    frame: async () => {
      await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
    },
    close: () => context.close(),
  };
}

/** Pixels of the canvas under `selector` within `tolerance` (per channel) of `color` (#rrggbb). */
export async function countColorPixels(page: Page | Frame, selector: string, color: string, tolerance = 40): Promise<number> {
  return page.evaluate(
    ({ selector, color, tolerance }) => {
      const canvas = document.querySelector(selector) as HTMLCanvasElement | null;
      if (!canvas) throw new Error(`no canvas at ${selector}`);
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const r = parseInt(color.slice(1, 3), 16);
      const g = parseInt(color.slice(3, 5), 16);
      const b = parseInt(color.slice(5, 7), 16);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - r) <= tolerance && Math.abs(data[i + 1] - g) <= tolerance && Math.abs(data[i + 2] - b) <= tolerance) count++;
      }
      return count;
    },
    { selector, color, tolerance },
  );
}

/** Waits until the page has saved its state since `since` writes, then returns the count. */
export async function waitForStateWrite(page: Page, since: number): Promise<number> {
  await page.waitForFunction((n) => (window as unknown as { __stateWrites: number }).__stateWrites > n, since);
  return page.evaluate(() => (window as unknown as { __stateWrites: number }).__stateWrites);
}

export async function stateWrites(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __stateWrites: number }).__stateWrites);
}

/**
 * Reloads like VS Code re-creating a hidden webview: same state store, new page. `abrupt`: the
 * page gets no chance to save on the way out (VS Code may tear a hidden webview's frame down, or
 * the window may reload, before a debounced or pagehide save reaches the host), so only state
 * already written survives.
 */
export async function reload(view: WebviewPage, options: { abrupt?: boolean } = {}): Promise<void> {
  if (options.abrupt) await view.page.evaluate(() => ((window as unknown as { __dropStateWrites: boolean }).__dropStateWrites = true));
  await view.page.reload();
  await view.page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
}

/** Decodes a PNG data URL's width and height from its IHDR chunk. */
export function pngSize(dataUrl: string): { width: number; height: number; bytes: Buffer } {
  const prefix = 'data:image/png;base64,';
  if (!dataUrl.startsWith(prefix)) throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}`);
  const bytes = Buffer.from(dataUrl.slice(prefix.length), 'base64');
  if (bytes.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('PNG signature missing');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), bytes };
}
