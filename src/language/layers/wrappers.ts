import { formatCount, formatShape } from '../formatting';
import type { Shape } from '../model';
import { BASE_ARGS, withLastDim, type LayerSpec } from './spec';

// Wrappers analyse the layer they wrap (through ctx.inferInner, which also checks the wrapped
// layer's category against the `layer` argument's `of`) and derive their own shape and count
// from it.

export const Bidirectional: LayerSpec = {
  name: 'Bidirectional',
  autoName: 'bidirectional',
  category: 'wrapper',
  summary: 'Runs a recurrent layer forwards and backwards and merges both outputs.',
  doc: [
    'Two copies of the wrapped recurrent layer, one reading the sequence forwards and one backwards: twice the parameters.',
    '',
    '`merge_mode`: `concat` (default) doubles the output width; `sum`, `mul` and `ave` keep it; `None` returns both outputs.',
  ].join('\n'),
  args: [
    { name: 'layer', type: { t: 'layer', of: ['recurrent'] }, required: true, positional: true, doc: 'A recurrent layer, e.g. LSTM(16).' },
    { name: 'merge_mode', type: { t: 'enum', values: ['concat', 'sum', 'mul', 'ave'], nullable: true }, default: 'concat', positional: true },
    { name: 'backward_layer', type: { t: 'layer', of: ['recurrent'] } },
    ...BASE_ARGS,
  ],
  infer(ctx) {
    const inner = ctx.inferInner(ctx.input);
    if (!inner) return null;
    const mode = ctx.args.merge_mode as string | null;
    const [main, ...states] = inner.outputShapes;
    const width = main[main.length - 1] as number;
    const merged = withLastDim(main, mode === 'concat' ? 2 * width : width);
    const mains: Shape[] = mode === null ? [main, main] : [merged];
    const outputs = [...mains, ...states, ...states];
    const total = 2 * inner.params.total;
    const t = 2 * inner.params.trainable;
    return {
      outputs,
      params: { total, trainable: t, nonTrainable: total - t },
      formula: `2 × ${formatCount(inner.params.total)} = ${formatCount(total)}`,
      inner,
    };
  },
};

export const TimeDistributed: LayerSpec = {
  name: 'TimeDistributed',
  autoName: 'time_distributed',
  category: 'wrapper',
  summary: 'Applies the same layer to every time step.',
  doc: 'Applies the wrapped layer to each step of the sequence with the same weights: the count is the wrapped layer\'s.',
  args: [{ name: 'layer', type: { t: 'layer' }, required: true, positional: true }, ...BASE_ARGS],
  infer(ctx) {
    if (ctx.input.length < 3) {
      ctx.report('incompatible-shape', `TimeDistributed needs a sequence (batch, steps, ...), got ${formatShape(ctx.input)}. Add return_sequences=True to the recurrent layer before it.`);
      return null;
    }
    const steps = ctx.input[1];
    const inner = ctx.inferInner([null, ...ctx.input.slice(2)]);
    if (!inner) return null;
    const outputs = inner.outputShapes.map((s): Shape => [null, steps, ...s.slice(1)]);
    return { outputs, params: inner.params, formula: inner.formula, inner };
  },
};
