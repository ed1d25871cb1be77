// What a panel frame and the playground page say to each other, beyond the panels' own
// protocol (webview/protocol.ts), which passes through unchanged.
import type { WebviewToHost } from '../protocol';
import type { TestTheme } from '../shared/vscodeThemes';

/** Frame → page: a panel's message to its host, tagged so the page knows which frame sent it. */
export interface FrameToPage {
  source: 'seqmodel-panel';
  message: WebviewToHost;
}

/** Page → frame: the theme's variables and body class, as VS Code sets them on a webview. */
export interface ThemeMessage {
  type: 'playgroundTheme';
  theme: TestTheme;
}

export function isFrameToPage(value: unknown): value is FrameToPage {
  return typeof value === 'object' && value !== null && (value as { source?: unknown }).source === 'seqmodel-panel';
}

export function isThemeMessage(value: unknown): value is ThemeMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'playgroundTheme';
}

/** Applies a theme to a panel's document: the variables on <html>, the kind class on <body>. */
export function applyTheme(doc: Document, theme: TestTheme): void {
  for (const [name, value] of Object.entries(theme.vars)) doc.documentElement.style.setProperty(name, value);
  doc.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
  doc.body.classList.add(theme.bodyClass);
}
