import type { ConfigValue, LayerInfo, Shape, Span } from './model';

// A long model repeats its lines: 100,000 `Dense(1)` lines are one layer written 100,000 times.
// When an edit changes the shapes after it (a layer typed that is not shape-preserving, a type
// renamed), every later line is walked again with its new input, a few microseconds each (its
// arguments bound, its shapes and count inferred, a formula built): a third of a second for
// 50,000 lines. A line that reported nothing and looked no constant up is a pure function of its
// text and its input shape (not its position, not the lines around it: the checks that read
// the previous layer report a problem when they apply), so the walk keeps what it made of it
// and takes it again for the same text on an equal input. The layers made so share their
// config, outputs and counts, which nothing changes once made.

/** What a line made, apart from its name and span. */
export interface SameLine {
  input: Shape;
  type: string;
  category: LayerInfo['category'];
  config: Record<string, ConfigValue>;
  outputShapes: Shape[];
  params: LayerInfo['params'];
  formula: string;
}

/** The layer a line of `same`'s text makes on `input` (equal to same.input), with its own name and span. */
export function layerOfSame(same: SameLine, name: string, input: Shape, span: Span): LayerInfo {
  return { name, type: same.type, category: same.category, config: same.config, inputShape: input, outputShapes: same.outputShapes, params: same.params, formula: same.formula, span };
}

/** Texts kept at most per walk: a model of all-different lines stops adding after these. */
const MAX_TEXTS = 256;

/** Per walk: the lines that reported nothing, by their text, with each input shape they were walked on. */
export class SameLines {
  /** Made at the first line kept: most models are a few lines, and a file of them made a map per model. */
  private byText: Map<string, SameLine[]> | undefined;

  /** What a line of this text made on an equal input, if one did. */
  find(text: string, input: Shape): SameLine | undefined {
    const list = this.byText?.get(text);
    if (!list) return undefined;
    for (const line of list) if (sameShape(line.input, input)) return line;
    return undefined;
  }

  /** Keeps what a line of this text made of `input` (its layer, which reported nothing); returns what it kept, if it did. */
  add(text: string, input: Shape, layer: LayerInfo): SameLine | undefined {
    const byText = (this.byText ??= new Map());
    let list = byText.get(text);
    if (!list) {
      if (byText.size >= MAX_TEXTS) return undefined;
      byText.set(text, (list = []));
    } else if (list.length >= 8) return undefined;
    const line: SameLine = { input, type: layer.type, category: layer.category, config: layer.config, outputShapes: layer.outputShapes, params: layer.params, formula: layer.formula };
    list.push(line);
    return line;
  }
}

export function sameShape(a: Shape | null, b: Shape | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}
