// Bidirectional and TimeDistributed: the wrapped layer is built first, through ctx.buildLayer.
import * as tf from '../tf';
import { layersOf } from '../../language';
import type { ConfigValue, LayerConfig, LayerInfo } from '../../language';
import type { ConfigReader } from '../config-reader';
import { recurrentCellsOf } from '../layers/cell-rnn';
import type { SeedSource } from '../seeds';
import type { BuildContext, Layer, LayerBuilder } from './context';

type RNNLayer = tf.RNN;

export const TimeDistributed: LayerBuilder = (spec, name, a, ctx) => tf.layers.timeDistributed({ name, layer: buildInner(spec, a, ctx) });

export const Bidirectional: LayerBuilder = bidirectional;

// A declaration with typed parameters, so that a.fail (never) narrows `inner` to an RNN.
function bidirectional(spec: LayerConfig | LayerInfo, name: string | undefined, a: ConfigReader, ctx: BuildContext): Layer {
  const inner = buildInner(spec, a, ctx);
  if (!(inner instanceof tf.RNN)) {
    a.fail('layer', `must be a recurrent layer (${layersOf('recurrent').join(', ')}), got ${inner.getClassName()}`);
  }
  if (a.raw('backward_layer') !== null) a.fail('backward_layer', 'is not supported by TensorFlow.js');
  const mergeMode = a.raw('merge_mode', 'concat');
  if (mergeMode !== null && !['concat', 'sum', 'mul', 'ave'].includes(String(mergeMode))) {
    a.fail('merge_mode', `must be 'concat', 'sum', 'mul', 'ave' or None, got ${JSON.stringify(mergeMode)}`);
  }
  const layer = tf.layers.bidirectional({
    name,
    layer: inner,
    // null (Keras's None) returns both directions' outputs; undefined would mean 'concat'.
    mergeMode: mergeMode as 'concat',
  });
  // tfjs clones the backward layer from the forward one's config, seeds included: give its
  // initializers seeds of their own, or both directions would start with equal weights.
  const backward = (layer as unknown as { backwardLayer: RNNLayer }).backwardLayer;
  reseedInitializers(backward, ctx.nextSeed);
  return layer;
}

/** The wrapped layer of Bidirectional/TimeDistributed, named as the engine named it. */
function buildInner(spec: LayerConfig | LayerInfo, a: ConfigReader, ctx: BuildContext): Layer {
  const inner = a.layer('layer');
  const innerName = ('inner' in spec && spec.inner?.name) || stringOrUndefined(inner.config['name']);
  return ctx.buildLayer(inner, innerName);
}

/** Replaces the seed of every seeded initializer held by a recurrent layer's cell. */
function reseedInitializers(layer: RNNLayer, nextSeed: SeedSource): void {
  // RNN(StackedRNNCells([...])) holds its initializers in each stacked cell.
  for (const owner of [layer as object, layer.cell as object, ...recurrentCellsOf(layer.cell)]) {
    for (const value of Object.values(owner)) {
      // tfjs does not export its Initializer class: recognise one by its shape.
      const init = value as { apply?: unknown; seed?: unknown } | null;
      if (typeof init === 'object' && init !== null && typeof init.apply === 'function' && typeof init.seed === 'number') {
        init.seed = nextSeed();
      }
    }
  }
}

function stringOrUndefined(value: ConfigValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
