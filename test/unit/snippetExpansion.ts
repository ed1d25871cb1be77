// Snippet bodies as VS Code inserts them when the user accepts every default, so that tests
// can check the text a snippet really produces.

/** Expands a snippet as VS Code does when every placeholder is left at its default. */
export function expandDefaults(body: string): string {
  const values = new Map<string, string>();
  // ${N:default} and ${N|first,second|} define tab stop N; the first definition wins.
  let text = body.replace(/\$\{(\d+):([^}]*)\}/g, (_, n: string, def: string) => {
    if (!values.has(n)) values.set(n, def);
    return def;
  });
  text = text.replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_, n: string, choices: string) => {
    const first = choices.split(',')[0];
    if (!values.has(n)) values.set(n, first);
    return first;
  });
  // A bare $N mirrors tab stop N; $0 is the final cursor position.
  return text.replace(/\$(\d+)/g, (_, n: string) => values.get(n) ?? '');
}
