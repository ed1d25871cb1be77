// The run folders a command was given, in whatever form its caller passes them: a tree view
// passes (clickedItem, selectedItems) where each item carries `runDir` or `resourceUri`; the
// Explorer and links pass Uris; tests and other commands pass paths. Pure (no vscode): a Uri
// is recognised by its shape, so unit tests can run it.

interface UriLike {
  scheme: string;
  fsPath: string;
}

function isUriLike(value: unknown): value is UriLike {
  return typeof value === 'object' && value !== null && typeof (value as UriLike).fsPath === 'string' && typeof (value as UriLike).scheme === 'string';
}

/** One argument's run folder, or undefined for anything that names none. */
function runPathOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (isUriLike(value)) return value.scheme === 'file' ? value.fsPath : undefined;
  if (typeof value === 'object' && value !== null) {
    const item = value as { runDir?: unknown; resourceUri?: unknown };
    if (typeof item.runDir === 'string') return runPathOf(item.runDir);
    if (item.resourceUri !== undefined) return runPathOf(item.resourceUri);
  }
  return undefined;
}

/**
 * The run folders among a command's arguments, each once, in the order given. A tree's
 * multi-selection (the second argument, which includes the clicked item) wins over the
 * clicked item alone; a single argument may also be a list.
 */
export function runPathsOf(args: readonly unknown[]): string[] {
  const [first, second] = args;
  const chosen = Array.isArray(second) && second.length > 0 ? second : Array.isArray(first) ? first : first === undefined ? [] : [first];
  const paths: string[] = [];
  for (const value of chosen) {
    const p = runPathOf(value);
    if (p !== undefined && !paths.includes(p)) paths.push(p);
  }
  return paths;
}
