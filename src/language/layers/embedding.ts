import { formatCount, formatShape } from '../formatting';
import type { Shape } from '../model';
import { BASE_ARGS, constraintArg, initializerArg, regularizerArg, type LayerSpec } from './spec';

export const Embedding: LayerSpec = {
  name: 'Embedding',
  autoName: 'embedding',
  category: 'embedding',
  summary: 'Turns word ids (integers) into dense vectors of output_dim values.',
  doc: [
    'A lookup table: row `i` is the vector of word id `i`. Input: integer ids of shape (batch, length); output (batch, length, output_dim).',
    '',
    'Weights: one vector per id: `input_dim × output_dim`.',
  ].join('\n'),
  args: [
    { name: 'input_dim', type: { t: 'int', min: 1 }, required: true, positional: true, doc: 'Vocabulary size: the largest id + 1.' },
    { name: 'output_dim', type: { t: 'int', min: 1 }, required: true, positional: true, doc: 'Size of each embedding vector.' },
    initializerArg('embeddings_initializer', 'uniform'),
    regularizerArg('embeddings_regularizer'),
    regularizerArg('activity_regularizer', "A penalty on the layer's output added to the loss."),
    constraintArg('embeddings_constraint'),
    { name: 'mask_zero', type: { t: 'bool' }, default: false, doc: 'Treat id 0 as padding that later layers skip.' },
    { name: 'input_length', type: { t: 'int', min: 1, nullable: true }, default: null, doc: 'Length of the input sequences, when constant.' },
    ...BASE_ARGS,
  ],
  infer(ctx) {
    if (ctx.input.length !== 2) {
      ctx.report('incompatible-shape', `Embedding expects 2D input of word ids (batch, length), got ${formatShape(ctx.input)}.`);
      return null;
    }
    const vocab = ctx.args.input_dim as number;
    const dim = ctx.args.output_dim as number;
    const total = vocab * dim;
    const out: Shape = [null, ctx.input[1], dim];
    return { outputs: [out], params: { total, trainable: total, nonTrainable: 0 }, formula: `${formatCount(vocab)} × ${formatCount(dim)} = ${formatCount(total)}` };
  },
};
