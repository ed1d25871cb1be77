/**
 * The n-th candidate name for a new file: `stem.ext`, then `stem-2.ext`, `stem-3.ext`... New
 * Model File and the documents Import and Export open take the first one that is free.
 */
export function numberedName(stem: string, extension: string, n: number): string {
  return n === 1 ? `${stem}${extension}` : `${stem}-${n}${extension}`;
}
