import fc from 'fast-check';
import { exampleTexts } from '../helpers/engine';
import { analyze } from '../../src/language';
import { codeActions } from '../../src/server/codeActions';
import { codeLenses } from '../../src/server/codeLens';
import { completions } from '../../src/server/completion';
import { definition, references } from '../../src/server/definition';
import { toLspDiagnostics } from '../../src/server/diagnostics';
import { foldingRanges } from '../../src/server/folding';
import { formatDocument } from '../../src/server/formatting';
import { hover } from '../../src/server/hover';
import { inlayHints } from '../../src/server/inlayHints';
import { prepareRename, rename } from '../../src/server/rename';
import { semanticTokens } from '../../src/server/semanticTokens';
import { signatureHelp } from '../../src/server/signatureHelp';
import { documentSymbols } from '../../src/server/symbols';
import { fuzzRuns } from '../helpers/fuzzRuns';

// Every feature at every offset of mangled examples must answer without throwing: in the
// server a throw is caught, but it would leave the user without an answer.

const sources = exampleTexts();

function everyFeature(text: string, step: number): void {
  const a = analyze(text);
  toLspDiagnostics(a);
  codeLenses(a, 'u');
  documentSymbols(a);
  foldingRanges(a);
  formatDocument(text);
  semanticTokens(a);
  semanticTokens(a, { start: Math.floor(text.length / 3), end: text.length });
  inlayHints(a, { start: 0, end: text.length }, { shapes: true, params: true });
  codeActions(a, 'u', { start: 0, end: text.length });
  for (let o = 0; o <= text.length; o += step) {
    hover(a, o);
    completions(a, o, { snippets: true });
    signatureHelp(a, o);
    definition(a, 'u', o);
    references(a, 'u', o, true);
    prepareRename(a, o);
    rename(a, 'u', o, 'renamed_x');
  }
}

describe('server features on any input', () => {
  it('answer at every offset of every example', () => {
    for (const text of sources) everyFeature(text, 1);
  });

  it('answer on examples cut, spliced and sprinkled with stray characters', () => {
    const all = sources.join('\n');
    fc.assert(
      fc.property(
        fc.nat(all.length),
        fc.nat(400),
        fc.array(fc.tuple(fc.nat(400), fc.constantFrom('(', ')', '{', '}', '[', ']', ',', '=', '"', '\n', '#', 'LSTM(', 'None', '-', '**', '\r', '😀', 'model x {', 'train ', ' on ')), { maxLength: 8 }),
        (start, length, inserts) => {
          let text = all.slice(start, start + length);
          for (const [at, piece] of inserts) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + piece + text.slice(i);
          }
          everyFeature(text, 3);
        },
      ),
      { numRuns: fuzzRuns(300), seed: 11 },
    );
  });
});
