// Hand-made ModelInfo fixtures for the model-builder tests, written as the engine reports
// models: Keras names and arguments, with Keras's output shapes and parameter counts (from
// docs/keras-reference.md) as the expected values. Only the fields the builder reads matter;
// spans and formulas are placeholders.
import { lookupLayer, type ConfigValue, type LayerConfig, type LayerInfo, type ModelInfo, type ParamCount, type Shape } from '../../src/language';

const SPAN = { start: 0, end: 0 };

export interface LayerSpec {
  type: string;
  config?: Record<string, ConfigValue>;
  name?: string;
  /** Keras's output shapes (batch dim included). */
  out: Shape | Shape[];
  /** Keras's parameter count; a number means all trainable. */
  params: number | { total: number; trainable: number };
  inner?: LayerSpec;
}

function counts(p: LayerSpec['params']): ParamCount {
  const c = typeof p === 'number' ? { total: p, trainable: p } : p;
  return { total: c.total, trainable: c.trainable, nonTrainable: c.total - c.trainable };
}

/** A nested layer for Bidirectional/TimeDistributed configs. */
export function nested(type: string, config: Record<string, ConfigValue> = {}): LayerConfig {
  return { type, config };
}

let autoNames = new Map<string, number>();

/** Keras-style automatic names: lstm, lstm_1, dense, ... */
function autoName(type: string): string {
  const base = type.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const n = autoNames.get(base) ?? 0;
  autoNames.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

function layerInfo(spec: LayerSpec, input: Shape): LayerInfo {
  const outputShapes = Array.isArray(spec.out[0]) ? (spec.out as Shape[]) : [spec.out as Shape];
  const info: LayerInfo = {
    type: spec.type,
    // A made-up type (to test that the build refuses it) has no category: any will do.
    category: lookupLayer(spec.type)?.category ?? 'core',
    config: { name: null, trainable: true, dtype: null, ...spec.config },
    name: spec.name ?? autoName(spec.type),
    inputShape: input,
    outputShapes,
    params: counts(spec.params),
    formula: '',
    span: SPAN,
  };
  if (spec.inner) info.inner = layerInfo(spec.inner, input);
  return info;
}

/** A valid model; `input` is the shape without the batch dim, null when Embedding comes first. */
export function modelInfo(name: string, input: Shape | null, specs: LayerSpec[]): ModelInfo {
  autoNames = new Map();
  let shape: Shape = input === null ? [null, null] : [null, ...input];
  const layers = specs.map((spec) => {
    const info = layerInfo(spec, shape);
    shape = info.outputShapes[0];
    return info;
  });
  const last = layers[layers.length - 1];
  const total = layers.reduce((n, l) => n + l.params.total, 0);
  const trainable = layers.reduce((n, l) => n + l.params.trainable, 0);
  return {
    name,
    span: SPAN,
    nameSpan: SPAN,
    inputShape: input === null ? null : [null, ...input],
    layers,
    outputShapes: last.outputShapes,
    params: { total, trainable, nonTrainable: total - trainable },
    valid: true,
  };
}
