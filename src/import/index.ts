import { kerasArchiveConfig } from './kerasArchive';
import { importKerasConfig } from './kerasJson';
import { ImportError } from './json';
import { notebookScript, textLocator } from './notebook';
import { ImportDraft, type ImportWarning, type SourceLocation } from './output';
import { PythonInterpreter } from './python/interpreter';
import { parsePython } from './python/syntax';
import type { Const } from './python/values';

// Import from Keras: Python source, Jupyter notebooks and Keras's own model description
// (model.to_json(), the config.json of a .keras file) to a .seqmodel file. Pure TypeScript
// over the engine (src/language): it takes the file's content and returns text and located
// warnings, so the CLI, the extension and a browser can all use it (no fs, no vscode).

export { ImportError } from './json';
export type { ImportWarning, SourceLocation } from './output';
export { where } from './output';

export type ImportKind = 'python' | 'notebook' | 'keras-json' | 'keras-archive';

export interface ImportInput {
  /** The file's name (its extension decides the kind when `kind` is not given). */
  fileName: string;
  /** The content: text, or the bytes of a .keras zip. */
  content: string | Uint8Array;
  kind?: ImportKind;
  /** Names the output must not define (those of a document the code is pasted into). */
  reserved?: Iterable<string>;
  /** Constants the Python may use without defining them (the `let`s of that document). */
  constants?: Record<string, Const>;
}

export interface ImportResult {
  kind: ImportKind;
  /** The .seqmodel file. */
  text: string;
  /** What could not be imported, located in the source (also comments in `text`). */
  warnings: ImportWarning[];
  /** How many models the output defines. */
  models: number;
}

export function importKind(fileName: string, content: string | Uint8Array): ImportKind {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'ipynb') return 'notebook';
  if (ext === 'keras' || ext === 'zip') return 'keras-archive';
  if (ext === 'json' || ext === 'h5json') return 'keras-json';
  if (typeof content !== 'string') return content[0] === 0x50 && content[1] === 0x4b ? 'keras-archive' : 'python';
  const start = content.trimStart();
  if (start.startsWith('{')) return /"cells"\s*:/.test(start) && /"nbformat"/.test(start) ? 'notebook' : 'keras-json';
  return 'python';
}

const decoder = new TextDecoder('utf-8');

export function importKeras(input: ImportInput): ImportResult {
  const kind = input.kind ?? importKind(input.fileName, input.content);
  const text = typeof input.content === 'string' ? input.content : kind === 'keras-archive' ? '' : decoder.decode(input.content);
  const draft = new ImportDraft(new Set(input.reserved ?? []));
  const header = [`Imported from ${baseName(input.fileName)} by SeqModel Studio (seqmodel import).`];
  switch (kind) {
    case 'python':
      importPython(draft, text, textLocator(text), input.constants);
      break;
    case 'notebook': {
      const script = notebookScript(text, input.fileName);
      importPython(draft, script.text, script.locate, input.constants);
      break;
    }
    case 'keras-json':
      importKerasConfig(draft, text, input.fileName);
      break;
    case 'keras-archive': {
      if (typeof input.content === 'string') throw new ImportError(`${input.fileName}: a .keras file is a zip archive; pass its bytes.`, { line: 1, column: 1 });
      const config = kerasArchiveConfig(input.content, input.fileName);
      importKerasConfig(draft, config, `${input.fileName}/config.json`);
      break;
    }
  }
  if (draft.models.length === 0 && draft.warnings.length === 0) {
    throw new ImportError(`${input.fileName}: no Keras model found (no Sequential(...), Model(...) or model configuration).`, { line: 1, column: 1 });
  }
  if (draft.warnings.length) header.push(`${draft.warnings.length} thing(s) could not be imported: see the comments marked with a line number.`);
  return { kind, text: draft.write(header), warnings: draft.warnings, models: draft.models.length };
}

function importPython(draft: ImportDraft, text: string, locate: (offset: number) => SourceLocation, constants: Record<string, Const> = {}): void {
  const interpreter = new PythonInterpreter(draft, text, locate, constants);
  interpreter.run(parsePython(text));
  interpreter.finish();
}

function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}
