/** A file-name-safe slug for suggested export names. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
}
