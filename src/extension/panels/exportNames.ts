// Pure helpers of the panels' exports (no vscode, so unit tests can load them).

/** The bytes of a `data:image/png;base64,...` URL; throws on anything else. */
export function pngBytes(dataUrl: string): Uint8Array {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!match) throw new Error('the panel sent an image that is not a base64 PNG data URL');
  return new Uint8Array(Buffer.from(match[1], 'base64'));
}

/** A file name the page suggested, reduced to a plain name (no folders, no odd characters). */
export function safeFileName(name: string, extension: 'csv' | 'png'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '').slice(0, 120);
  const stem = clean.replace(new RegExp(`\\.${extension}$`, 'i'), '') || 'export';
  return `${stem}.${extension}`;
}
