// Light and dark editor themes for the grammar's scopes, in the colours of VS Code's Light
// Modern and Dark Modern themes, so a file looks as it does in the editor the extension runs in.
import * as monaco from 'monaco-editor/editor/editor.api';

export const EDITOR_THEMES = { light: 'seqmodel-light', dark: 'seqmodel-dark' } as const;

type Palette = Record<'comment' | 'string' | 'escape' | 'number' | 'keyword' | 'operator' | 'type' | 'function' | 'variable' | 'constant' | 'invalid', string>;

const LIGHT: Palette = { comment: '008000', string: 'a31515', escape: 'ee0000', number: '098658', keyword: '0000ff', operator: '000000', type: '267f99', function: '795e26', variable: '001080', constant: '0070c1', invalid: 'cd3131' };
const DARK: Palette = { comment: '6a9955', string: 'ce9178', escape: 'd7ba7d', number: 'b5cea8', keyword: '569cd6', operator: 'd4d4d4', type: '4ec9b0', function: 'dcdcaa', variable: '9cdcfe', constant: '4fc1ff', invalid: 'f44747' };

function rules(p: Palette): monaco.editor.ITokenThemeRule[] {
  return [
    { token: 'comment', foreground: p.comment },
    { token: 'punctuation.definition.comment', foreground: p.comment },
    { token: 'string', foreground: p.string },
    { token: 'punctuation.definition.string', foreground: p.string },
    { token: 'constant.character.escape', foreground: p.escape },
    { token: 'constant.numeric', foreground: p.number },
    { token: 'constant.language', foreground: p.keyword },
    { token: 'keyword', foreground: p.keyword },
    { token: 'keyword.operator', foreground: p.operator },
    { token: 'support.class', foreground: p.type },
    { token: 'entity.name.type', foreground: p.type },
    { token: 'support.function', foreground: p.function },
    { token: 'entity.name.function', foreground: p.function },
    { token: 'variable', foreground: p.variable },
    { token: 'entity.name.variable', foreground: p.variable },
    { token: 'entity.name.constant', foreground: p.constant },
    { token: 'support.constant', foreground: p.constant },
    { token: 'invalid', foreground: p.invalid },
  ];
}

export function defineEditorThemes(): void {
  monaco.editor.defineTheme(EDITOR_THEMES.light, { base: 'vs', inherit: true, rules: rules(LIGHT), colors: { 'editor.background': '#ffffff' } });
  monaco.editor.defineTheme(EDITOR_THEMES.dark, { base: 'vs-dark', inherit: true, rules: rules(DARK), colors: { 'editor.background': '#1f1f1f' } });
}
