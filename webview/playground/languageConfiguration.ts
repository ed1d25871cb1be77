// The editing rules of the extension's language-configuration.json (comments, brackets,
// auto-closing, indentation, word pattern), turned into monaco's form: the JSON file holds
// regular expressions as strings, monaco wants RegExp objects.
import type * as monaco from 'monaco-editor/editor/editor.api';
import raw from '../../language-configuration.json';

export function languageConfiguration(): monaco.languages.LanguageConfiguration {
  return {
    comments: raw.comments,
    brackets: raw.brackets as monaco.languages.CharacterPair[],
    autoClosingPairs: raw.autoClosingPairs,
    autoCloseBefore: raw.autoCloseBefore,
    surroundingPairs: raw.surroundingPairs.map(([open, close]) => ({ open, close })),
    colorizedBracketPairs: raw.colorizedBracketPairs as monaco.languages.CharacterPair[],
    indentationRules: {
      increaseIndentPattern: new RegExp(raw.indentationRules.increaseIndentPattern),
      decreaseIndentPattern: new RegExp(raw.indentationRules.decreaseIndentPattern),
    },
    folding: {
      offSide: raw.folding.offSide,
      markers: { start: new RegExp(raw.folding.markers.start), end: new RegExp(raw.folding.markers.end) },
    },
    wordPattern: new RegExp(raw.wordPattern, 'g'),
  };
}
