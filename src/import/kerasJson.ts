import { layerCall } from '../language';
import { lookupLayer } from '../language';
import { tokenize } from '../language';
import type { ArgSpec } from '../language';
import type { ConfigValue, LayerConfig } from '../language';
import { lookupObject, objectClass, shortName } from '../language';
import { ImportError, parseJson } from './json';
import { textLocator } from './notebook';
import type { DraftModel, ImportDraft, SourceLocation } from './output';
import { dslString } from './python/values';

// Keras's own description of a model: model.to_json() and the config.json of a .keras file.
// Keras 2 writes {"class_name": "Sequential", "config": {"name", "layers": [...]}} (Keras 2.2
// and older: "config" is the list itself) with batch_input_shape on an InputLayer or on the
// first layer; Keras 3 adds "module" and "registered_name", writes "batch_shape" and dtype
// policies, and a .keras file carries compile_config. Every argument is written out, defaults
// included: the .seqmodel line keeps only those that differ from Keras's defaults.

interface KerasObject {
  class_name?: string;
  config?: unknown;
  name?: string;
  inbound_nodes?: unknown;
}

type Json = Record<string, unknown>;

/** Keys Keras writes that do not change the design (shapes, counts) when at these values. */
const HARMLESS: Record<string, (v: unknown) => boolean> = {
  implementation: () => true,
  use_cudnn: () => true,
  data_format: (v) => v === 'channels_last',
  groups: (v) => v === 1,
  lora_alpha: () => true,
  time_major: (v) => v === false,
};

/** A number, string, boolean, null, or a list of them: what a .seqmodel literal can be. */
function isPlain(v: unknown): v is ConfigValue {
  if (Array.isArray(v)) return v.every(isPlain);
  return v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function importKerasConfig(draft: ImportDraft, text: string, fileName: string): void {
  let root = parseJson(text, fileName);
  // Some tools keep the description under model_config (the attribute of an .h5 file).
  if (isObject(root) && isObject(root.model_config)) root = root.model_config;
  if (!isObject(root) || typeof root.class_name !== 'string') {
    throw new ImportError(`${fileName} is not a Keras model description: expected {"class_name": "Sequential", "config": ...}, as model.to_json() writes.`, { line: 1, column: 1 });
  }
  const reader = new ConfigReader(draft, text);
  const model = reader.model(root as KerasObject);
  if (model && isObject(root.compile_config)) reader.compileNote(root.compile_config, model);
}

class ConfigReader {
  private readonly locate: (offset: number) => SourceLocation;
  private searchFrom = 0;

  constructor(
    private readonly draft: ImportDraft,
    private readonly text: string,
  ) {
    this.locate = textLocator(text);
  }

  /** Where a layer is described: the line of its "name" (the next one after the last found). */
  private at(name: unknown): SourceLocation {
    if (typeof name === 'string') {
      const re = new RegExp(`"name"\\s*:\\s*${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
      re.lastIndex = this.searchFrom;
      const m = re.exec(this.text) ?? ((re.lastIndex = 0), re.exec(this.text));
      if (m) {
        this.searchFrom = m.index + 1;
        return this.locate(m.index);
      }
    }
    return this.locate(this.searchFrom);
  }

  model(root: KerasObject): DraftModel | null {
    const config = root.config;
    const list = Array.isArray(config) ? config : isObject(config) && Array.isArray(config.layers) ? config.layers : null;
    const layers = list?.filter((l): l is KerasObject => isObject(l) && typeof l.class_name === 'string') ?? null;
    const name = isObject(config) && typeof config.name === 'string' ? config.name : 'model';
    const at = this.at(name);
    if (!layers || !list) {
      this.draft.warn(at, `a ${root.class_name} without a list of layers is not imported.`);
      return null;
    }
    const model = this.draft.addModel(name);
    if (layers.length !== list!.length) this.draft.warn(at, `${list!.length - layers.length} entr(ies) of the layer list are not layers ({"class_name", "config"}); not imported.`, model);
    if (root.class_name !== 'Sequential' && !this.linear(layers, isObject(config) ? config : {}, model, at)) return model;
    let input = this.inputShape(layers, isObject(config) ? config : {});
    for (const layer of layers) {
      const cfg = isObject(layer.config) ? layer.config : {};
      const where = this.at(cfg.name);
      if (layer.class_name === 'InputLayer') continue;
      if (input) {
        model.lines.push({ text: input });
        input = null;
      }
      const converted = this.layer(layer, where, model);
      if (converted) model.lines.push({ text: doubleQuoted(layerCall(converted)) });
    }
    if (input) model.lines.push({ text: input });
    return model;
  }

  /** The input line: an InputLayer's shape, the first layer's batch_input_shape, or the build shape. */
  private inputShape(layers: KerasObject[], config: Json): string | null {
    const first = layers[0];
    const cfg = first && isObject(first.config) ? first.config : {};
    const shape = cfg.batch_input_shape ?? cfg.batch_shape ?? config.build_input_shape;
    if (!Array.isArray(shape) || shape.length < 2 || !shape.every((d) => d === null || (Number.isInteger(d) && d > 0))) return null;
    // An Embedding first with an unknown length needs no input line (Keras gives (None, None, dim)).
    if (first.class_name === 'Embedding' && shape.slice(1).every((d) => d === null)) return null;
    return `input(${shape
      .slice(1)
      .map((d) => (d === null ? 'None' : String(d)))
      .join(', ')})`;
  }

  /** A functional model is imported when its layers form one chain from one input. */
  private linear(layers: KerasObject[], config: Json, model: DraftModel, at: SourceLocation): boolean {
    const names = layers.map((l) => (isObject(l.config) ? l.config.name : l.name) ?? l.name);
    let ok = layers[0]?.class_name === 'InputLayer';
    for (let i = 1; ok && i < layers.length; i++) {
      const inbound = inboundNames(layers[i].inbound_nodes);
      ok = inbound.length === 1 && inbound[0] === names[i - 1];
    }
    const outputs = outputNames(config.output_layers);
    ok &&= outputs.length > 0 && outputs.every((o) => o === names[names.length - 1]);
    if (!ok) this.draft.warn(at, `a functional model with several inputs, outputs or branches is not imported: SeqModel models are sequential.`, model);
    return ok;
  }

  /** `nested`: the layer a wrapper wraps (Keras 3 names it forward_lstm: not worth keeping). */
  private layer(obj: KerasObject, at: SourceLocation, model: DraftModel, nested = false): LayerConfig | null {
    // A registered package's class: TF Addons saves its cells as "Addons>LayerNormLSTMCell".
    const type = (obj.class_name ?? '?').replace(/^\w+>/, '');
    const spec = lookupLayer(type);
    const cfg = isObject(obj.config) ? obj.config : {};
    if (!spec) {
      this.draft.warn(at, `${type} (${String(cfg.name ?? '')}) is not a layer SeqModel knows; not imported.`, model);
      return null;
    }
    const config: Record<string, ConfigValue> = {};
    for (const [key, value] of Object.entries(cfg)) {
      if (['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_shape', 'input_shape', 'backward_layer'].includes(key)) continue;
      const arg = spec.args.find((a) => a.name === key);
      if (!arg) {
        if (value !== null && value !== false && !HARMLESS[key]?.(value)) this.draft.warn(at, `${type}: ${key}=${JSON.stringify(value)} is not an argument SeqModel knows; dropped.`, model);
        continue;
      }
      const converted = this.value(value, arg, at, model);
      if (converted !== undefined) config[key] = converted;
    }
    if (!nested && typeof cfg.name === 'string' && !new RegExp(`^${spec.autoName}(_\\d+)?$`).test(cfg.name)) config.name = cfg.name;
    if (cfg.trainable === false) config.trainable = false;
    const dtype = isObject(cfg.dtype) && isObject(cfg.dtype.config) ? cfg.dtype.config.name : cfg.dtype;
    if (typeof dtype === 'string' && dtype !== 'float32') config.dtype = dtype;
    if (isObject(cfg.backward_layer) && !mirrors(cfg.backward_layer, cfg.layer)) {
      this.draft.warn(at, `${type}: a backward_layer that differs from the forward layer is not imported.`, model);
    }
    return { type: spec.name, config };
  }

  private value(value: unknown, arg: ArgSpec, at: SourceLocation, model: DraftModel): ConfigValue | undefined {
    if (arg.type.t === 'layer') return isObject(value) ? (this.layer(value as KerasObject, at, model, true) ?? undefined) : undefined;
    // StackedRNNCells's cells: every one, or the argument is dropped (each missing cell was reported).
    if (arg.type.t === 'layers') {
      const cells = Array.isArray(value) ? value.map((c) => (isObject(c) ? this.layer(c as KerasObject, at, model, true) : null)) : [];
      return cells.length > 0 && cells.every((c) => c !== null) ? (cells as LayerConfig[]) : undefined;
    }
    // Keras writes "linear" for no activation; the language's default is None.
    if (arg.name === 'activation' && value === 'linear' && arg.default === null) return null;
    if (arg.type.t === 'object') return this.object(value, arg, at, model);
    if (arg.type.t === 'int1' && Array.isArray(value) && value.length === 1) return value[0] as number;
    if (!isPlain(value)) {
      this.draft.warn(at, `${arg.name}=${JSON.stringify(value)} is not a value SeqModel can write; dropped.`, model);
      return undefined;
    }
    return value;
  }

  /**
   * An initializer, regularizer or constraint ({"class_name": "L2", "config": {"l2": 0.01}}):
   * nothing when it is the argument's default, else its usual name (he_normal) or a call with
   * the arguments that differ from the class's defaults (L2(l2=0.001)).
   */
  private object(value: unknown, arg: ArgSpec, at: SourceLocation, model: DraftModel): ConfigValue | undefined {
    if (!isObject(value) || typeof value.class_name !== 'string') return isPlain(value) ? value : undefined;
    // Keras 3 calls Orthogonal OrthogonalInitializer.
    const spec = objectClass(value.class_name) ?? objectClass(value.class_name.replace(/Initializer$/, ''));
    if (!spec) {
      this.draft.warn(at, `${arg.name}: ${value.class_name} is not one SeqModel knows; dropped (Keras's default is used).`, model);
      return undefined;
    }
    const config = isObject(value.config) ? value.config : {};
    const changed = spec.args.filter((a) => a.name in config && a.name !== 'seed' && !sameNumber(config[a.name], a.default ?? null));
    if (changed.length === 0) {
      const dflt = typeof arg.default === 'string' ? lookupObject(arg.default) : undefined;
      return dflt?.className === spec.className ? arg.default : shortName(spec.className);
    }
    return { type: spec.className, config: Object.fromEntries(changed.filter((a) => isPlain(config[a.name])).map((a) => [a.name, config[a.name] as ConfigValue])) };
  }

  /** The compile settings of a .keras file: a train block needs data, so they become a note. */
  compileNote(compile: Json, model: DraftModel): void {
    const settings: string[] = [];
    const opt = compile.optimizer;
    const found = lookupObject(isObject(opt) ? String(opt.class_name ?? '') : typeof opt === 'string' ? opt.toLowerCase() : '');
    if (found?.kind === 'optimizer') {
      const optName = shortName(found.className);
      const cfg = isObject(opt) && isObject(opt.config) ? opt.config : {};
      const changed = found.args.filter((s) => typeof cfg[s.name] === 'number' && !closeTo(cfg[s.name] as number, s.default as number));
      settings.push(`optimizer = ${changed.length ? `${optName}(${changed.map((s) => `${s.name}=${Number((cfg[s.name] as number).toPrecision(7))}`).join(', ')})` : dslString(optName)}`);
    }
    const loss = isObject(compile.loss) ? compile.loss.class_name : compile.loss;
    if (typeof loss === 'string') settings.push(`loss = ${dslString(loss)}`);
    const metrics = (Array.isArray(compile.metrics) ? compile.metrics.flat(2) : []).filter((m): m is string => typeof m === 'string');
    if (metrics.length) settings.push(`metrics = [${metrics.map(dslString).join(', ')}]`);
    const at = this.locate(Math.max(0, this.text.indexOf('"compile_config"')));
    this.draft.warn(at, `the model was compiled with ${settings.join(', ') || 'settings SeqModel does not know'}; a train block needs a data source, so add one to train it here.`, model);
  }
}

/** layerCall writes Python's 'relu'; .seqmodel files (and the Python import) write "relu". */
function doubleQuoted(line: string): string {
  let out = '';
  let at = 0;
  for (const t of tokenize(line)) {
    if (t.kind !== 'string' || t.error || typeof t.value !== 'string') continue;
    out += line.slice(at, t.start) + dslString(t.value);
    at = t.end;
  }
  return out + line.slice(at);
}

/** Equal values, numbers compared as float32 (Keras 3 writes 0.05 as 0.05000000074505806). */
function sameNumber(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number' ? closeTo(a, b) : JSON.stringify(a) === JSON.stringify(b);
}

/** Keras 3 writes float32 values: 0.0010000000474974513 is Adam's default 0.001. */
function closeTo(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

/** Keras 3 always writes the backward layer: a mirror (go_backwards flipped) adds nothing. */
function mirrors(backward: Json, forward: unknown): boolean {
  if (!isObject(forward) || backward.class_name !== forward.class_name) return false;
  const b = isObject(backward.config) ? { ...backward.config } : {};
  const f = isObject(forward.config) ? { ...forward.config } : {};
  for (const c of [b, f]) {
    delete c.name;
    delete c.go_backwards;
  }
  return JSON.stringify(b) === JSON.stringify(f);
}

/** The layers a node reads: Keras 2 [[["lstm", 0, 0, {}]]]; Keras 3 {"args": [{keras_history}]}. */
function inboundNames(nodes: unknown): string[] {
  const names: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string' && typeof v[1] === 'number') names.push(v[0]);
      else v.forEach(visit);
    } else if (isObject(v)) {
      if (Array.isArray(v.keras_history)) names.push(String(v.keras_history[0]));
      else Object.values(v).forEach(visit);
    }
  };
  visit(nodes);
  return [...new Set(names)];
}

function outputNames(outputs: unknown): string[] {
  if (!Array.isArray(outputs)) return [];
  if (typeof outputs[0] === 'string') return [outputs[0]];
  return outputs.filter(Array.isArray).map((o) => String(o[0]));
}
