// The parts of committed files that are derived from the engine's tables, so a new layer is
// one registry entry (src/language/layers/registry.ts): the TextMate grammar's layer,
// data-source and optimizer names, and the layer table of docs/language.md. `npm run generate` rewrites
// them; test/unit/generated.test.ts fails while a committed file differs from what this makes.
import { DATA_SOURCES, SERIES_SOURCES } from '../src/language';
import { objectNames } from '../src/language';
import { LAYER_ALIASES, LAYERS } from '../src/language';
import { BASE_ARGS, type ArgSpec } from '../src/language';
import { pythonValue } from '../src/language';

export const GRAMMAR_FILE = 'syntaxes/seqmodel.tmLanguage.json';
export const LANGUAGE_DOC = 'docs/language.md';

/** Every name that calls a layer: the registry's, Keras's aliases, and the input declarations. */
export function layerNames(): string[] {
  return [...LAYERS.keys(), ...LAYER_ALIASES.keys(), 'Input', 'input'];
}

/** The names of the data-source and series calls. */
export function sourceNames(): string[] {
  return [...Object.keys(DATA_SOURCES), ...Object.keys(SERIES_SOURCES)];
}

/** The grammar rules whose `match` lists names of the engine: rule → names. */
function grammarRules(): Record<string, string[]> {
  return { layers: layerNames(), 'data-sources': sourceNames(), optimizers: objectNames('optimizer') };
}

/** The grammar text with its name rules matching exactly the engine's names. */
export function generateGrammar(text: string): string {
  for (const [rule, names] of Object.entries(grammarRules())) {
    const match = new RegExp(`("${rule}": \\{\\s*"match": )"[^"\\n]*"`);
    if (!match.test(text)) throw new Error(`${GRAMMAR_FILE}: no "${rule}" rule with a "match" to generate`);
    const pattern = `\\b(?:${names.join('|')})\\b`;
    // JSON-escape the regex (its backslashes); a function keeps $ in it literal.
    text = text.replace(match, (_, head: string) => head + JSON.stringify(pattern));
  }
  return text;
}

const TABLE_BEGIN = '<!-- layer table: generated from the layer registry by `npm run generate` -->';
const TABLE_END = '<!-- end of layer table -->';

const BASE = new Set(BASE_ARGS.map((a) => a.name));

/** Initializers, regularizers and constraints, and the arguments every layer takes, go unlisted. */
function listed(arg: ArgSpec): boolean {
  return !BASE.has(arg.name) && arg.type.t !== 'object';
}

/** `padding` ('valid': valid, same, causal): the default, and the choices when they are few. */
function describe(arg: ArgSpec): string {
  const notes: string[] = [];
  if (arg.default !== undefined) notes.push(pythonValue(arg.default));
  if (arg.type.t === 'enum' && arg.type.values.length <= 6) {
    const choices = [...arg.type.values, ...(arg.type.nullable ? ['None'] : [])].join(', ');
    notes.push(notes.length ? `: ${choices}` : choices);
  }
  return `\`${arg.name}\`` + (notes.length ? ` (${notes.join('')})` : '');
}

/** The table of docs/language.md: one row per layer, in registry order. */
export function layerTable(): string {
  const aliases = new Map<string, string[]>();
  for (const [alias, name] of LAYER_ALIASES) aliases.set(name, [...(aliases.get(name) ?? []), alias]);
  const rows = [...LAYERS.values()].map((spec) => {
    const also = aliases.get(spec.name);
    const layer = `\`${spec.name}\`` + (also ? ` (also ${also.map((a) => `\`${a}\``).join(', ')})` : '');
    const args = spec.args.filter(listed);
    const pos = args.filter((a) => a.positional).map(describe).join(', ');
    const keywords = args.filter((a) => !a.positional).map(describe).join(', ');
    return `| ${layer} | ${spec.category} | ${pos} | ${keywords} |`;
  });
  return ['| layer | category | positional arguments (default) | other arguments |', '|---|---|---|---|', ...rows].join('\n');
}

/** docs/language.md with the text between its layer-table markers regenerated. */
export function generateLanguageDoc(text: string): string {
  const begin = text.indexOf(TABLE_BEGIN);
  const end = text.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`${LANGUAGE_DOC}: the layer table's markers are missing`);
  return `${text.slice(0, begin + TABLE_BEGIN.length)}\n${layerTable()}\n${text.slice(end)}`;
}

/** Each generated file and how to regenerate it from its committed text. */
export const GENERATED: { file: string; generate: (text: string) => string }[] = [
  { file: GRAMMAR_FILE, generate: generateGrammar },
  { file: LANGUAGE_DOC, generate: generateLanguageDoc },
];
