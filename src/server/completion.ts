import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver';
import { LAYERS, type Analysis } from '../language';
import { callable, type Callable } from '../language';
import { completionQuery, type CompletionContext } from '../language';
import { DATA_SOURCES } from '../language';
import { objectNames } from '../language';
import type { ArgSpec } from '../language';
import { TRAIN_SETTINGS } from '../language';
import { toRange } from './convert';
import { argumentDoc, renderConfig } from './hover';

// Completion from what the cursor's context allows (see completionContext.ts): keywords,
// layers with placeholders for their required arguments, argument names per call, the values
// of enum arguments and train settings, and the names the document defines.

export interface CompletionOptions {
  /** The client inserts snippets (`${1:units}`); otherwise plain text. */
  snippets: boolean;
}

const KEYWORD_SNIPPETS: [string, string, string][] = [
  ['let', 'let ${1:name} = ${2:value}', 'A named constant.'],
  ['data', 'data ${1:name} = ${2|window,echo,sentiment|}($3)', 'A data source.'],
  ['model', 'model ${1:name} {\n  input(${2:steps}, ${3:features})\n  $0\n}', 'A sequential model: one layer per line.'],
  ['train', 'train ${1:model} on ${2:data} {\n  optimizer = "adam"\n  loss = "${3:mse}"\n  epochs = ${4:10}\n}', 'How to train one or more models on a data source.'],
  ['predict', 'predict ${1:model} [${2}]', "Predict one input sequence with a trained model."],
];

export function completions(analysis: Analysis, offset: number, options: CompletionOptions): CompletionItem[] {
  const query = completionQuery(analysis.document, analysis.text, offset);
  const range = toRange(analysis.lines, query.prefix);
  return itemsFor(query.context, analysis, range, options);
}

function itemsFor(ctx: CompletionContext, analysis: Analysis, range: Range, options: CompletionOptions): CompletionItem[] {
  const names = (kind: 'constant' | 'data' | 'model') => [...new Set(analysis.symbols.filter((s) => s.kind === kind).map((s) => s.name))];
  const constants = () => {
    const byName = new Map(analysis.constants.map((c) => [c.name, c]));
    return names('constant').map((name): CompletionItem => {
      const c = byName.get(name);
      return { label: name, kind: CompletionItemKind.Constant, detail: c ? `= ${renderConfig(c.value)}` : 'constant', textEdit: { range, newText: name } };
    });
  };
  const plain = (label: string, kind: CompletionItemKind, detail?: string, sortText?: string): CompletionItem => ({ label, kind, detail, sortText, textEdit: { range, newText: label } });

  switch (ctx.kind) {
    case 'none':
      return [];
    case 'statement':
      return KEYWORD_SNIPPETS.map(([label, snippet, doc]) =>
        options.snippets
          ? { label, kind: CompletionItemKind.Keyword, detail: doc, insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: snippet } }
          : plain(label, CompletionItemKind.Keyword, doc),
      );
    case 'layer': {
      // Cells are offered inside RNN(...) only: on a model line they would be an error.
      const items = [...LAYERS.values()].filter((spec) => spec.category !== 'cell').map((spec) => callItem(callable(spec.name)!, range, options, CompletionItemKind.Class));
      if (ctx.firstLine) {
        items.unshift(callItem(callable('input')!, range, options, CompletionItemKind.Function, '0'));
        items.push(callItem(callable('Input')!, range, options, CompletionItemKind.Function));
      }
      return items;
    }
    case 'setting':
      return TRAIN_SETTINGS.filter((s) => !ctx.given.includes(s.name)).map((s) => ({
        label: s.name,
        kind: CompletionItemKind.Property,
        detail: `= ${renderConfig(s.default ?? null)}`,
        documentation: { kind: MarkupKind.Markdown, value: argumentDoc('train', s, 'setting') },
        textEdit: { range, newText: `${s.name} = ` },
        command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
      }));
    case 'settingValue':
      return settingValues(ctx.setting, ctx.quoted, range, options, constants);
    case 'argument': {
      const spec = callable(ctx.frame.callee);
      if (!spec) return constants();
      const items: CompletionItem[] = spec.args
        .filter((a) => !ctx.frame.given.includes(a.name) && spec.kind !== 'input')
        .map((a, i) => ({
          label: `${a.name}=`,
          kind: CompletionItemKind.Field,
          detail: a.required ? 'required' : a.default !== undefined ? `= ${renderConfig(a.default)}` : undefined,
          documentation: { kind: MarkupKind.Markdown, value: argumentDoc(spec.name, a) },
          sortText: String(i).padStart(3, '0'),
          filterText: a.name,
          textEdit: { range, newText: `${a.name}=` },
          command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
        }));
      // The next positional argument may be written right here: offer its values too.
      const positional = ctx.frame.sawKeyword ? undefined : spec.args.filter((a) => a.positional)[ctx.frame.positional];
      if (positional) items.push(...valueItems(positional, false, range, options, constants));
      else items.push(...constants());
      return items;
    }
    case 'argumentValue': {
      const spec = callable(ctx.frame.callee);
      const arg = spec?.args.find((a) => a.name === ctx.arg);
      return arg ? valueItems(arg, ctx.quoted, range, options, constants) : ctx.quoted ? [] : constants();
    }
    case 'dataSource':
      return Object.keys(DATA_SOURCES).map((name) => callItem(callable(name)!, range, options, CompletionItemKind.Function));
    case 'modelName':
      return names('model').filter((n) => !ctx.exclude.includes(n)).map((n) => plain(n, CompletionItemKind.Class, 'model'));
    case 'dataName':
      return names('data').map((n) => plain(n, CompletionItemKind.Variable, 'data source'));
    case 'keywordOn':
      return [plain('on', CompletionItemKind.Keyword)];
    case 'expression':
      return constants();
  }
}

/** `LSTM(${1:units})`: the required arguments as placeholders, the cursor inside otherwise. */
function callItem(spec: Callable, range: Range, options: CompletionOptions, kind: CompletionItemKind, sortText?: string): CompletionItem {
  const required = spec.args.filter((a) => a.required);
  let snippet: string;
  if (spec.name === 'input') snippet = 'input(${1:steps}, ${2:features})';
  else if (spec.name === 'Input') snippet = 'Input(shape=(${1:steps}, ${2:features}))';
  else snippet = `${spec.name}(${required.map((a, i) => (a.positional ? `\${${i + 1}:${a.name}}` : `${a.name}=\${${i + 1}}`)).join(', ')}${required.length ? '' : '$1'})$0`;
  const item: CompletionItem = {
    label: spec.name,
    kind,
    detail: spec.summary,
    sortText,
    textEdit: { range, newText: options.snippets ? snippet : spec.name },
  };
  if (options.snippets) item.insertTextFormat = InsertTextFormat.Snippet;
  const layer = LAYERS.get(spec.name);
  if (layer) item.documentation = { kind: MarkupKind.Markdown, value: layer.doc };
  return item;
}

function valueItems(arg: ArgSpec, quoted: boolean, range: Range, options: CompletionOptions, constants: () => CompletionItem[]): CompletionItem[] {
  const t = arg.type;
  const word = (v: string, kind: CompletionItemKind, asString: boolean): CompletionItem => ({
    label: asString && !quoted ? `"${v}"` : v,
    filterText: v,
    kind,
    textEdit: { range, newText: asString && !quoted ? `"${v}"` : v },
  });
  if (t.t === 'enum') {
    const items = t.values.map((v) => word(v, CompletionItemKind.EnumMember, true));
    if (t.nullable && !quoted) items.push(word('None', CompletionItemKind.Keyword, false));
    return items;
  }
  if (t.t === 'object') {
    // By name ("l2": Keras's defaults) or as a call with its own arguments (l2(0.001)).
    const names = objectNames(t.kind, true);
    const items = names.map((n) => word(n, CompletionItemKind.EnumMember, true));
    if (quoted) return items;
    items.push(...names.map((n) => callItem(callable(n)!, range, options, CompletionItemKind.Function)));
    if (t.nullable) items.push(word('None', CompletionItemKind.Keyword, false));
    return items;
  }
  if (quoted) return [];
  if (t.t === 'bool') return [word('True', CompletionItemKind.Keyword, false), word('False', CompletionItemKind.Keyword, false)];
  if (t.t === 'layer' || t.t === 'layers') {
    // The categories the argument takes (Bidirectional: recurrent), else the usual wrapped ones.
    const of = t.of ?? ['recurrent', 'core'];
    return [...LAYERS.values()].filter((l) => of.includes(l.category)).map((l) => callItem(callable(l.name)!, range, options, CompletionItemKind.Class));
  }
  const items = constants();
  if ('nullable' in t && t.nullable) items.push(word('None', CompletionItemKind.Keyword, false));
  return items;
}

/** A setting's values, as an argument of its type: the same items as in a call. */
function settingValues(setting: string, quoted: boolean, range: Range, options: CompletionOptions, constants: () => CompletionItem[]): CompletionItem[] {
  const spec = TRAIN_SETTINGS.find((s) => s.name === setting);
  if (!spec) return quoted ? [] : constants();
  // Inside metrics' list (or for a single one) the items are those of one metric.
  const item = spec.type.t === 'list' ? { ...spec, type: spec.type.item } : spec;
  return valueItems(item, quoted, range, options, constants);
}
