// Loads syntaxes/seqmodel.tmLanguage.json with the libraries VS Code itself uses
// (vscode-textmate over the Oniguruma regex engine compiled to WebAssembly), so the unit tests
// see exactly the tokens the editor will colour.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '../..');
export const GRAMMAR_PATH = path.join(ROOT, 'syntaxes/seqmodel.tmLanguage.json');
const SCOPE = 'source.seqmodel';

export interface ScopedToken {
  line: number;
  text: string;
  /** Innermost last, as vscode-textmate reports them. */
  scopes: string[];
}

let grammarPromise: Promise<IGrammar> | undefined;

/** The grammar, loaded once per test process (the WASM engine can be initialised only once). */
export function loadGrammar(): Promise<IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar(SCOPE);
    if (!grammar) throw new Error(`grammar ${SCOPE} did not load`);
    return grammar;
  })();
  return grammarPromise;
}

/** Tokenizes a whole text line by line, carrying the rule stack across lines as the editor does. */
export async function tokenize(text: string): Promise<ScopedToken[]> {
  const grammar = await loadGrammar();
  const out: ScopedToken[] = [];
  let state: StateStack = INITIAL;
  text.split(/\r?\n/).forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const t of result.tokens) {
      out.push({ line, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = result.ruleStack;
  });
  return out;
}
