import { formatShape } from '../formatting';
import type { Shape } from '../model';
import { BASE_ARGS, NO_PARAMS, type LayerSpec } from './spec';

export const Flatten: LayerSpec = {
  name: 'Flatten',
  autoName: 'flatten',
  category: 'reshaping',
  summary: 'Flattens each sample into a vector: (batch, steps, features) → (batch, steps × features).',
  doc: 'Flattens every dimension but the batch into one. The sizes must be known. No weights.',
  args: [{ name: 'data_format', type: { t: 'enum', values: ['channels_last', 'channels_first'], nullable: true }, default: null }, ...BASE_ARGS],
  infer(ctx) {
    const rest = ctx.input.slice(1);
    if (rest.some((d) => d === null)) {
      ctx.report(
        'flatten-unknown-length',
        `Flatten needs every dimension known, but the input is ${formatShape(ctx.input)}. Give the model a fixed sequence length, or use GlobalAveragePooling1D / GlobalMaxPooling1D, which work with any length.`,
      );
      return null;
    }
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    return { outputs: [[null, size]], params: NO_PARAMS, formula: 'no weights: 0' };
  },
};

export const RepeatVector: LayerSpec = {
  name: 'RepeatVector',
  autoName: 'repeat_vector',
  category: 'reshaping',
  summary: 'Repeats a vector n times: (batch, features) → (batch, n, features). The encoder-decoder bridge.',
  doc: 'Repeats its 2D input `n` times along a new time axis, e.g. to feed an encoder\'s summary to every step of a decoder. No weights.',
  args: [{ name: 'n', type: { t: 'int', min: 1 }, required: true, positional: true, doc: 'How many times to repeat.' }, ...BASE_ARGS],
  infer(ctx) {
    if (ctx.input.length !== 2) {
      ctx.report('incompatible-shape', `RepeatVector expects 2D input (batch, features), got ${formatShape(ctx.input)}.`);
      return null;
    }
    return { outputs: [[null, ctx.args.n as number, ctx.input[1]]], params: NO_PARAMS, formula: 'no weights: 0' };
  },
};

export const Reshape: LayerSpec = {
  name: 'Reshape',
  autoName: 'reshape',
  category: 'reshaping',
  summary: 'Reshapes each sample to target_shape (one dimension may be -1).',
  doc: 'Gives each sample a new shape with the same number of values; one dimension may be -1 and is inferred. No weights.',
  args: [{ name: 'target_shape', type: { t: 'shape', allowMinusOne: true }, required: true, positional: true }, ...BASE_ARGS],
  infer(ctx) {
    const target = ctx.args.target_shape as (number | null)[];
    if (target.some((d) => d === null)) {
      ctx.report('invalid-argument', 'target_shape of Reshape cannot contain None; use -1 for one inferred dimension.', ctx.span('target_shape'));
      return null;
    }
    const dims = target as number[];
    const unknowns = dims.filter((d) => d === -1).length;
    if (unknowns > 1) {
      ctx.report('invalid-argument', 'Only one dimension of target_shape can be -1.', ctx.span('target_shape'));
      return null;
    }
    const rest = ctx.input.slice(1);
    const knownProduct = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (rest.some((d) => d === null)) {
      // Keras accepts this and checks at run time; the -1 stays unknown.
      const out: Shape = [null, ...dims.map((d) => (d === -1 ? null : d))];
      return { outputs: [out], params: NO_PARAMS, formula: 'no weights: 0' };
    }
    const total = (rest as number[]).reduce((a, b) => a * b, 1);
    if (unknowns === 1 ? total % knownProduct !== 0 : total !== knownProduct) {
      ctx.report(
        'incompatible-shape',
        `Reshape cannot turn ${formatShape(ctx.input)} (${total} values per sample) into ${formatShape([null, ...dims])}.`,
        ctx.span('target_shape'),
      );
      return null;
    }
    const out: Shape = [null, ...dims.map((d) => (d === -1 ? total / knownProduct : d))];
    return { outputs: [out], params: NO_PARAMS, formula: 'no weights: 0' };
  },
};
