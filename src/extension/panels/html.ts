// The HTML page of a webview. The extension host calls `html()` with the bundle URIs it got
// from `webview.asWebviewUri(...)`, `webview.cspSource` and a fresh nonce per render. No inline
// script or style is emitted: the only scripts that run are the nonce-tagged bundles, so a
// message that smuggles markup into the page cannot execute anything.
import type { PanelKind } from '../../../webview/protocol';

export interface WebviewPageOptions {
  panel: PanelKind;
  /** Document title (not shown by VS Code, but read by screen readers). */
  title: string;
  /** The bundle: dist/webview/<panel>.js as a webview URI. */
  scriptUri: string;
  /** Stylesheets: dist/webview/<panel>.css as a webview URI. */
  styleUris: string[];
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  cspSource: string;
  /** A fresh random value per render: see `createNonce`. */
  nonce: string;
}

const NONCE_PATTERN = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/** 32 random alphanumerics from the platform CSPRNG (Node 20 and browsers both have it). */
export function createNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  let nonce = '';
  // 256 % 62 != 0 leaves a slight bias; irrelevant for a nonce that only has to be unguessable.
  for (const byte of bytes) nonce += alphabet[byte % alphabet.length];
  return nonce;
}

/** The Content-Security-Policy value the page declares. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * VS Code desktop gives one host source (https://*.vscode-cdn.net); the web workbench
 * (code-server, vscode.dev) gives "'self' https://*.vscode-cdn.net". Accept host sources and
 * 'self', nothing that could end the directive or add a keyword such as 'unsafe-inline'.
 */
function isSourceList(value: string): boolean {
  const tokens = value.trim().split(/\s+/);
  return tokens.length > 0 && tokens.every((t) => t === "'self'" || /^[^;'",\s]+$/.test(t));
}

export function html(options: WebviewPageOptions): string {
  const { panel, title, scriptUri, styleUris, cspSource, nonce } = options;
  // A nonce with quotes or spaces would break out of the CSP value: refuse it outright.
  if (!NONCE_PATTERN.test(nonce)) throw new Error('html(): the nonce must be 16+ base64 characters');
  if (!isSourceList(cspSource)) throw new Error('html(): cspSource must be a list of source expressions');
  const csp = contentSecurityPolicy(cspSource, nonce);
  const styles = styleUris
    .map((uri) => `    <link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(uri)}">`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
    <title>${escapeText(title)}</title>
  </head>
  <body data-panel="${panel}">
    <main id="app" aria-live="polite"></main>
    <script nonce="${nonce}" src="${escapeAttribute(scriptUri)}"></script>
  </body>
</html>
`;
}
