// Opens the built playground (dist/playground/) in headless Chromium from a local static server,
// the way a visitor would, and drives monaco through the page: real mouse hovers and keys, with
// the editor's API used only to find where a piece of text is on screen and to read state.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs module shared with scripts/serve-playground.mjs.
import { serveStatic } from '../../scripts/static-server.mjs';

const ROOT = path.resolve(__dirname, '..', '..');
export const PLAYGROUND = path.join(ROOT, 'dist', 'playground');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'playground');

export interface PlaygroundServer {
  origin: string;
  close(): Promise<void>;
}

export async function servePlayground(): Promise<PlaygroundServer> {
  if (!existsSync(path.join(PLAYGROUND, 'index.html'))) throw new Error('dist/playground is not built: run node scripts/build-playground.mjs');
  const server: Server = createServer((request, response) => serveStatic(PLAYGROUND, request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface PlaygroundPage {
  page: Page;
  context: BrowserContext;
  /** Requests for anything outside the page's origin (each was refused). */
  foreign: string[];
  /** Uncaught errors and console errors. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A new context and page on the playground, the editor on screen. Every request goes through
 * Playwright's interception: the page's origin is served, anything else is recorded and refused.
 */
export async function openPlayground(browser: Browser, origin: string, options: { url?: string; context?: BrowserContextOptions; theme?: 'light' | 'dark' } = {}): Promise<PlaygroundPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: options.theme ?? 'light', serviceWorkers: 'block', ...options.context });
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(options.url ?? `${origin}/`);
  await waitForEditor(page);
  mkdirSync(ARTIFACTS, { recursive: true });
  return { page, context, foreign, errors, close: () => context.close() };
}

export async function waitForEditor(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { seqmodelPlayground?: unknown }).seqmodelPlayground !== undefined, undefined, { timeout: 60000 });
  await page.waitForSelector('.monaco-editor .view-line', { timeout: 60000 });
}

export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as Playground).seqmodelPlayground.editor.getModel()!.getValue());
}

/** Replaces the whole text as typing would (an edit, so undo and the language server see it). */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const { editor } = (window as unknown as Playground).seqmodelPlayground;
    const model = editor.getModel()!;
    editor.executeEdits('test', [{ range: model.getFullModelRange(), text: t }]);
  }, text);
}

/** Where `needle` (plus `offset` characters) is drawn on screen, scrolled into view. */
export async function screenPoint(page: Page, needle: string, offset = 0): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(
    ({ needle, offset }) => {
      const { editor } = (window as unknown as Playground).seqmodelPlayground;
      const model = editor.getModel()!;
      const at = model.getValue().indexOf(needle);
      if (at < 0) return null;
      const position = model.getPositionAt(at + offset);
      editor.revealPositionInCenter(position);
      const visible = editor.getScrolledVisiblePosition(position)!;
      const box = editor.getDomNode()!.getBoundingClientRect();
      return { x: box.left + visible.left + 3, y: box.top + visible.top + visible.height / 2 };
    },
    { needle, offset },
  );
  if (!point) throw new Error(`"${needle}" is not in the editor`);
  return point;
}

/** Puts the cursor at `needle` (plus `offset`) with a click, as a user would. */
export async function clickAt(page: Page, needle: string, offset = 0): Promise<void> {
  const { x, y } = await screenPoint(page, needle, offset);
  await page.mouse.click(x, y);
}

/** Waits until the line of `needle` shows the inlay hint `hint` (monaco draws its spaces as U+00A0). */
export async function waitForInlayHint(page: Page, needle: string, hint: string): Promise<void> {
  await screenPoint(page, needle);
  await page.waitForFunction(
    (h) => Array.from(document.querySelectorAll('.monaco-editor .view-line span span')).some((s) => s.textContent?.replace(/\u00a0/g, ' ') === h),
    hint,
    { timeout: 20000 },
  );
}

export interface MarkerSummary {
  code: string;
  severity: number;
  message: string;
  line: number;
}

export async function markers(page: Page): Promise<MarkerSummary[]> {
  return page.evaluate(() => {
    const { monaco, editor } = (window as unknown as Playground).seqmodelPlayground;
    return monaco.editor.getModelMarkers({ resource: editor.getModel()!.uri }).map((m) => ({
      code: typeof m.code === 'string' ? m.code : String(m.code?.value ?? ''),
      severity: m.severity,
      message: m.message,
      line: m.startLineNumber,
    }));
  });
}

/** The summary panel's frame, once it shows a model. */
export async function summaryFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe.panel-summary');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the summary panel has no frame');
  await frame.waitForSelector('#title:not(:empty)');
  return frame;
}

type Monaco = typeof import('monaco-editor/editor/editor.api');
interface Playground {
  seqmodelPlayground: { monaco: Monaco; editor: import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor };
}
