import { KEYWORDS } from '../language';

// What an import produces, before it is text: constants, data sources, models, train blocks
// and predictions, each with the source line it came from, plus located notes for what could
// not be imported. Both importers (Python and Keras's JSON) fill one ImportDraft; write() turns
// it into a .seqmodel file. Names are placeholders until then, so that a Python name rebound
// three times (`model = Sequential()` per cell) becomes three distinct .seqmodel names and no
// name collides with a keyword or with another kind of definition.

/** Where in the source something was: 1-based line and column; for a notebook, the cell too. */
export interface SourceLocation {
  line: number;
  column: number;
  /** 1-based index among the notebook's code cells. */
  cell?: number;
}

export interface ImportWarning extends SourceLocation {
  message: string;
}

export type DraftLine = { text: string } | { note: string; at: SourceLocation };

export interface DraftModel {
  ref: string;
  lines: DraftLine[];
}

export interface DraftTrain {
  models: string[];
  data: string;
  settings: [string, string][];
}

export interface DraftPredict {
  model: string;
  input: string;
}

interface Named {
  id: number;
  base: string;
}

export class ImportDraft {
  readonly warnings: ImportWarning[] = [];
  private readonly names: Named[] = [];
  private readonly used = new Set<number>();
  private readonly lets: { ref: string; id: number; expr: string }[] = [];
  readonly data: { ref: string; expr: string }[] = [];
  readonly models: DraftModel[] = [];
  readonly trains: DraftTrain[] = [];
  readonly predicts: DraftPredict[] = [];
  /** Notes that belong to no model: unreadable data, a fit the importer could not follow. */
  readonly notes: { note: string; at: SourceLocation }[] = [];

  constructor(private readonly reserved: ReadonlySet<string> = new Set()) {}

  /** A new name: its text in the output is decided by write(). */
  name(base: string): string {
    const id = this.names.length;
    this.names.push({ id, base });
    return ref(id);
  }

  /** A better base for a name not yet written (a model built in a function, then assigned). */
  rename(r: string, base: string): void {
    const id = Number(/\d+/.exec(r)?.[0]);
    if (this.names[id]) this.names[id].base = base;
  }

  /** A `let`, written only when something refers to it. */
  addLet(base: string, expr: string): string {
    const r = this.name(base);
    this.lets.push({ ref: r, id: this.names.length - 1, expr });
    return r;
  }

  addData(base: string, expr: string): string {
    const same = this.data.find((d) => d.expr === expr);
    if (same) return same.ref;
    const r = this.name(base);
    this.data.push({ ref: r, expr });
    return r;
  }

  addModel(base: string): DraftModel {
    const model: DraftModel = { ref: this.name(base), lines: [] };
    this.models.push(model);
    return model;
  }

  /** A warning, and the same text as a comment where it belongs (in a model, or at the top). */
  warn(at: SourceLocation, message: string, model?: DraftModel): void {
    this.warnings.push({ ...at, message });
    if (model) model.lines.push({ note: message, at });
    else this.notes.push({ note: message, at });
  }

  /**
   * A Python `model` (a keyword here, and the name of every model of a notebook) is named
   * after its recurrent layer instead: rnn, rnn_2, lstm.
   */
  private baseName(id: number): string {
    const base = sanitize(this.names[id].base);
    if (!KEYWORDS.has(base)) return base;
    const model = this.models.find((m) => m.ref === ref(id));
    const layer = model?.lines.map((l) => ('text' in l ? /^(?:Bidirectional\()?(SimpleRNN|LSTM|GRU)\(/.exec(l.text)?.[1] : undefined)).find((t) => t);
    return layer ? RECURRENT_NAMES[layer] : 'sequential';
  }

  write(header: string[]): string {
    const text = new Map<number, string>();
    const taken = new Set<string>(this.reserved);
    const resolve = (s: string) => s.replace(REF, (_m, id: string) => text.get(Number(id)) ?? `unnamed_${id}`);
    const assign = (id: number) => {
      if (text.has(id)) return;
      const base = this.baseName(id);
      let name = base;
      for (let n = 2; taken.has(name) || KEYWORDS.has(name); n++) name = `${base}_${n}`;
      taken.add(name);
      text.set(id, name);
    };
    // Constants are written when used; a used constant's own references are used too.
    const out = [this.models.map((m) => m.lines.map((l) => ('text' in l ? l.text : '')).join('\n')), this.data.map((d) => d.expr), this.trains.flatMap((t) => t.settings.map((s) => s[1])), this.predicts.map((p) => p.input)].flat().join('\n');
    markRefs(out, this.used);
    for (let i = this.lets.length - 1; i >= 0; i--) if (this.used.has(this.lets[i].id)) markRefs(this.lets[i].expr, this.used);
    const letIds = new Set(this.lets.map((l) => l.id));
    for (let id = 0; id < this.names.length; id++) if (this.used.has(id) || !letIds.has(id)) assign(id);

    const sections: string[] = [header.map((h) => `# ${h}`).join('\n')];
    if (this.notes.length) sections.push(this.notes.map((n) => `# ${where(n.at)}: ${n.note}`).join('\n'));
    const lets = this.lets.filter((l) => this.used.has(l.id));
    if (lets.length) sections.push(lets.map((l) => `let ${resolve(l.ref)} = ${resolve(l.expr)}`).join('\n'));
    if (this.data.length) sections.push(this.data.map((d) => `data ${resolve(d.ref)} = ${resolve(d.expr)}`).join('\n'));
    for (const m of this.models) {
      const body = m.lines.map((l) => ('text' in l ? `  ${resolve(l.text)}` : `  # ${where(l.at)}: ${l.note}`));
      sections.push(`model ${resolve(m.ref)} {\n${body.join('\n')}\n}`);
    }
    for (const t of mergeTrains(this.trains)) {
      const settings = t.settings.map(([k, v]) => `  ${k} = ${resolve(v)}`).join('\n');
      sections.push(`train ${t.models.map(resolve).join(', ')} on ${resolve(t.data)} {\n${settings}\n}`);
    }
    if (this.predicts.length) sections.push(this.predicts.map((p) => `predict ${resolve(p.model)} ${resolve(p.input)}`).join('\n'));
    return `${sections.join('\n\n')}\n`;
  }
}

const RECURRENT_NAMES: Record<string, string> = { SimpleRNN: 'rnn', LSTM: 'lstm', GRU: 'gru' };

const REF = /\u27e6(\d+)\u27e7/g;

function ref(id: number): string {
  return `\u27e6${id}\u27e7`;
}

function markRefs(text: string, used: Set<number>): void {
  for (const m of text.matchAll(REF)) used.add(Number(m[1]));
}

/** A .seqmodel identifier from a Python name or a Keras layer/model name. */
function sanitize(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
  return clean || 'unnamed';
}

export function where(at: SourceLocation): string {
  return at.cell ? `cell ${at.cell}, line ${at.line}` : `line ${at.line}`;
}

/** Models trained the same way on the same data share one block, as the course notebooks compare them. */
function mergeTrains(trains: DraftTrain[]): DraftTrain[] {
  const byKey = new Map<string, DraftTrain>();
  for (const t of trains) {
    const key = JSON.stringify([t.data, t.settings]);
    const same = byKey.get(key);
    if (same) same.models.push(...t.models.filter((m) => !same.models.includes(m)));
    else byKey.set(key, { ...t, models: [...t.models] });
  }
  return [...byKey.values()];
}
