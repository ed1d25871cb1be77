// Highlighting from the TextMate grammar the extension ships (syntaxes/seqmodel.tmLanguage.json),
// tokenised by vscode-textmate over the Oniguruma regex engine in WebAssembly: the same engine
// VS Code uses, so the page colours a file exactly as the editor scopes it. Monaco's own
// tokenizer (Monarch) would need a second, hand-written grammar that could drift.
import type * as monaco from 'monaco-editor/editor/editor.api';
import { createOnigScanner, createOnigString, loadWASM } from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from 'vscode-textmate';

const SCOPE = 'source.seqmodel';

/** Loads the grammar and the regex engine from the page's own folder. */
export async function loadGrammar(base: URL): Promise<IGrammar> {
  const [wasm, grammarText] = await Promise.all([
    fetchOk(new URL('onig.wasm', base)).then((r) => r.arrayBuffer()),
    fetchOk(new URL('seqmodel.tmLanguage.json', base)).then((r) => r.text()),
  ]);
  await loadWASM({ data: wasm });
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner, createOnigString }),
    loadGrammar: async (scope) => (scope === SCOPE ? parseRawGrammar(grammarText, 'seqmodel.tmLanguage.json') : null),
  });
  const grammar = await registry.loadGrammar(SCOPE);
  if (!grammar) throw new Error(`the grammar ${SCOPE} did not load`);
  return grammar;
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response;
}

/** Monaco keeps one state per line and compares them to stop re-tokenising early. */
class GrammarState implements monaco.languages.IState {
  constructor(readonly stack: StateStack) {}
  clone(): GrammarState {
    return new GrammarState(this.stack.clone());
  }
  equals(other: monaco.languages.IState): boolean {
    return other instanceof GrammarState && other.stack.equals(this.stack);
  }
}

/**
 * Each token is named by its innermost scope (`support.class.layer.seqmodel`); monaco themes
 * match rules by dotted prefix, as TextMate themes do, so `support.class` colours it.
 */
export function grammarTokens(grammar: IGrammar): monaco.languages.TokensProvider {
  return {
    getInitialState: () => new GrammarState(INITIAL),
    tokenize(line, state) {
      const result = grammar.tokenizeLine(line, (state as GrammarState).stack);
      return {
        tokens: result.tokens.map((t) => ({ startIndex: t.startIndex, scopes: t.scopes[t.scopes.length - 1] })),
        endState: new GrammarState(result.ruleStack),
      };
    },
  };
}
