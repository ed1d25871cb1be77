// Helpers that drive the VS Code workbench in a page, with the selectors that were observed to
// work in code-server 4.100.3 (VS Code 1.100). Each waits with a bound instead of sleeping.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ARTIFACTS_DIR, type CodeServer } from './codeServer';

/** Hover and status-bar text may use U+00A0 for spaces; tests compare normal spaces. */
export function normalizeText(text: string): string {
  return text.replace(/\u00a0/g, ' ').replace(/[ \t]+\n/g, '\n').trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface OpenOptions {
  /** Workbench payload entries (extensionDevelopmentPath, extensionTestsPath, ...). */
  payload?: [string, string][];
  /** Runs after the page exists and before it loads: exposeFunction, console listeners. */
  beforeLoad?: (page: Page) => Promise<void>;
  viewport?: { width: number; height: number };
}

export class Workbench {
  private constructor(readonly page: Page) {}

  /** Opens `folder` in a fresh page and waits for the workbench to render. */
  static async open(server: CodeServer, browser: Browser, folder: string, options: OpenOptions = {}): Promise<Workbench> {
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    // tsx compiles this file with esbuild's keepNames, which wraps the named functions inside
    // the callbacks given to evaluate() in __name(...): the page needs that helper too.
    await page.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    await options.beforeLoad?.(page);
    await page.goto(server.workbenchUrl(folder, options.payload));
    const wb = new Workbench(page);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return wb;
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  /** Saves a PNG under test-artifacts/e2e/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The quick input box, after F1 opened it. */
  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  private async openQuickInput(): Promise<Locator> {
    const input = this.quickInput();
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 3000 });
        return input;
      } catch {
        // The workbench may still be starting and not yet take keys: focus it and retry.
        await this.page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
      }
    }
    throw new Error('the command palette did not open');
  }

  /** Runs a command by its palette label, e.g. "Developer: Inspect Editor Tokens and Scopes". */
  async runCommand(label: string): Promise<void> {
    const input = await this.openQuickInput();
    await input.fill(`>${label}`);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();
    await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Opens a workspace file through Quick Open (typing its path) and waits for its editor. */
  async openFile(relativePath: string): Promise<void> {
    const input = await this.openQuickInput();
    // Without the ">" prefix the palette is Quick Open: it searches files by name.
    await input.fill(relativePath);
    const name = path.basename(relativePath);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });
    await this.editor().locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: 15_000 });
  }

  /**
   * Gives the focus back to the text editor of `fileName` by clicking its tab, e.g. after a click
   * in a panel left it in that panel's group (whose editor is no text editor).
   */
  async focusEditor(fileName: string): Promise<void> {
    await this.page.locator('.tabs-container .tab', { hasText: fileName }).first().click();
    await this.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: fileName }).waitFor({ state: 'visible', timeout: 15_000 });
  }

  /** The active text editor. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Waits until the status bar's language indicator reads `name` (it says "Plain Text" at first). */
  async waitForLanguage(name: string, timeoutMs = 30_000): Promise<string> {
    const mode = this.page.locator('#status\\.editor\\.mode');
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = normalizeText((await mode.textContent({ timeout: 5000 }).catch(() => '')) ?? '');
      if (last === name) return last;
      await sleep(250);
    }
    throw new Error(`status bar language is ${JSON.stringify(last)}, not ${JSON.stringify(name)}`);
  }

  /**
   * Screen rectangles of whole-word occurrences of `word` in the active editor's visible lines
   * (only lines matching `inLine`, when given), top to bottom. Found through the DOM text so that the real rendered position is used.
   */
  async wordBoxes(word: string, inLine?: RegExp): Promise<{ x: number; y: number; width: number; height: number }[]> {
    const editor = this.editor();
    await editor.waitFor({ state: 'visible', timeout: 10_000 });
    const line = inLine ? { source: inLine.source, flags: inLine.flags } : null;
    return editor.evaluate((root, { w, only }) => {
      const lineFilter = only ? new RegExp(only.source, only.flags) : null;
      const boxes: { x: number; y: number; width: number; height: number }[] = [];
      const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
      for (const line of Array.from(root.querySelectorAll('.view-lines .view-line'))) {
        const nodes: Text[] = [];
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
        const text = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
        if (lineFilter && !lineFilter.test(text)) continue;
        for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
          if (isWordChar(text[at - 1]) || isWordChar(text[at + w.length])) continue;
          // Map the line offset back to (text node, offset) pairs for a DOM Range.
          const locate = (offset: number): [Text, number] => {
            let rest = offset;
            for (const n of nodes) {
              if (rest <= n.data.length) return [n, rest];
              rest -= n.data.length;
            }
            const lastNode = nodes[nodes.length - 1];
            return [lastNode, lastNode.data.length];
          };
          const range = document.createRange();
          range.setStart(...locate(at));
          range.setEnd(...locate(at + w.length));
          const r = range.getBoundingClientRect();
          boxes.push({ x: r.x, y: r.y, width: r.width, height: r.height });
        }
      }
      return boxes.sort((a, b) => a.y - b.y || a.x - b.x);
    }, { w: word, only: line });
  }

  private async wordCenter(word: string, occurrence: number, inLine?: RegExp): Promise<{ x: number; y: number }> {
    const boxes = await this.wordBoxes(word, inLine);
    const box = boxes[occurrence];
    if (!box) throw new Error(`"${word}" #${occurrence}${inLine ? ` in a line matching ${inLine}` : ''} is not visible in the editor (found ${boxes.length})`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Puts the cursor inside a word by clicking it. */
  async clickWord(word: string, occurrence = 0): Promise<void> {
    const { x, y } = await this.wordCenter(word, occurrence);
    await this.page.mouse.click(x, y);
  }

  /**
   * Hovers a word and returns the hover's text. The first hover can come back empty (or with
   * another provider's text) while the extension activates, so it moves away and back until
   * the text satisfies `expect`, within a bound. `inLine` picks the line (a word also occurs in
   * comments).
   */
  async hover(
    word: string,
    options: { occurrence?: number; inLine?: RegExp; expect?: RegExp; timeoutMs?: number } = {},
  ): Promise<string> {
    const { occurrence = 0, inLine, expect = /\S/, timeoutMs = 30_000 } = options;
    const contents = this.page.locator('.monaco-hover .hover-contents').filter({ visible: true });
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const { x, y } = await this.wordCenter(word, occurrence, inLine);
      await this.page.mouse.move(1, 1);
      await this.page.keyboard.press('Escape');
      await this.page.mouse.move(x, y, { steps: 3 });
      try {
        await contents.first().waitFor({ state: 'visible', timeout: 3000 });
        await sleep(200); // a hover fills in its parts in more than one frame
        last = normalizeText((await contents.allInnerTexts()).join('\n'));
        if (expect.test(last)) return last;
      } catch {
        // No hover yet.
      }
      await sleep(500);
    }
    throw new Error(`hover on "${word}" did not match ${expect} within ${timeoutMs} ms; last text: ${JSON.stringify(last)}`);
  }

  /**
   * The inlay hints rendered in the active editor's visible lines, top to bottom. VS Code draws
   * a hint as injected text whose class is a generated "dyn-rule-*" class; the ones that are
   * hints are those whose CSS rule uses the editorInlayHint colours.
   */
  async inlayHints(): Promise<string[]> {
    return this.editor().evaluate((root) => {
      const hintClasses = new Set<string>();
      for (const sheet of Array.from(document.styleSheets)) {
        let rules: CSSRuleList;
        try {
          rules = sheet.cssRules;
        } catch {
          continue; // a cross-origin sheet
        }
        for (const rule of Array.from(rules)) {
          if (!(rule instanceof CSSStyleRule) || !/editorInlayHint/.test(rule.cssText)) continue;
          for (const m of rule.selectorText.matchAll(/\.(dyn-rule-[\w-]+)/g)) hintClasses.add(m[1]);
        }
      }
      const lines = Array.from(root.querySelectorAll<HTMLElement>('.view-lines .view-line'));
      lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      // One hint can be drawn as several spans (its label parts); hints are told apart by the
      // code or the padding (hair spaces, U+200A, in a span of another class) between them.
      const hints: string[] = [];
      for (const line of lines) {
        let current: string | undefined;
        const flush = () => {
          const text = (current ?? '').replace(/[\u200a\u00a0]/g, ' ').replace(/\s+/g, ' ').trim();
          if (text) hints.push(text);
          current = undefined;
        };
        for (const span of Array.from(line.querySelectorAll('span'))) {
          if (span.querySelector('span')) continue; // only leaf spans hold text
          if (Array.from(span.classList).some((c) => hintClasses.has(c))) current = (current ?? '') + (span.textContent ?? '');
          else flush();
        }
        flush();
      }
      return hints;
    });
  }

  /**
   * The TextMate scopes at a word, read from "Developer: Inspect Editor Tokens and Scopes":
   * proof that the grammar, not some other colouring, produced the token.
   */
  async tokenScopes(word: string, occurrence = 0): Promise<string> {
    await this.clickWord(word, occurrence);
    await this.page.mouse.move(1, 1); // keep a hover from covering the widget
    await this.runCommand('Developer: Inspect Editor Tokens and Scopes');
    const widget = this.page.locator('.token-inspect-widget').filter({ visible: true }).first();
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.waitForFunction(
      () => /textmate scopes/i.test(document.querySelector('.token-inspect-widget')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    return normalizeText(await widget.innerText());
  }

  /** The computed text colour of a word's token in the editor. */
  async wordColor(word: string, occurrence = 0): Promise<string> {
    const { x, y } = await this.wordCenter(word, occurrence);
    return this.page.evaluate(({ px, py }) => {
      const el = document.elementFromPoint(px, py);
      return el ? getComputedStyle(el).color : '';
    }, { px: x, py: y });
  }
}
