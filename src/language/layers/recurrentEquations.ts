import type { ConfigValue } from '../model';

// The equations a recurrent layer's hover shows, written for the layer's actual arguments:
// its activation and recurrent_activation, whether it has biases, and GRU's reset_after
// convention (Keras's GRU and LSTM cells, in Keras's notation).

type Args = Record<string, ConfigValue>;

/** `fn(inner)`: σ for sigmoid, nothing for linear (None). */
export function apply(fn: ConfigValue | undefined, inner: string): string {
  if (fn === null || fn === undefined || fn === 'linear') return inner;
  return `${fn === 'sigmoid' ? 'σ' : fn}(${inner})`;
}

export function bias(args: Args, name: string): string {
  return args.use_bias === false ? '' : ` + ${name}`;
}

function weightsLine(args: Args, count: string): string {
  return args.use_bias === false ? `${count} (no biases: use_bias=False).` : `${count}.`;
}

export function simpleRnnDoc(args: Args): string {
  const withBias = args.use_bias !== false;
  return [
    'At each step the new state mixes the input with the previous state:',
    '',
    `\`h_t = ${apply(args.activation, `W·x_t + U·h_{t-1}${bias(args, 'b')}`)}\``,
    '',
    weightsLine(args, `Weights: \`W\` (features × units) for the input, \`U\` (units × units) for the recurrence${withBias ? ', and one bias per unit: `units × (features + units) + units`' : ': `units × (features + units)`'}`),
  ].join('\n');
}

export function lstmDoc(args: Args): string {
  const gate = (g: string) => apply(args.recurrent_activation, `W_${g}·[h_{t-1}, x_t]${bias(args, `b_${g}`)}`);
  return [
    'Four gates, each a small dense layer over `[h_{t-1}, x_t]`:',
    '',
    `- forget \`f_t = ${gate('f')}\` drops from the long-term state`,
    `- input \`i_t = ${gate('i')}\` selects what to add`,
    `- candidate \`c̃_t = ${apply(args.activation, `W_c·[h_{t-1}, x_t]${bias(args, 'b_c')}`)}\``,
    `- output \`o_t = ${gate('o')}\``,
    '',
    `\`c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t\`, \`h_t = o_t ⊙ ${apply(args.activation, 'c_t')}\` (the output y_t is h_t).`,
    '',
    weightsLine(args, `Hence four times the SimpleRNN weights: \`4 × (units × (features + units)${args.use_bias === false ? '' : ' + units'})\``),
  ].join('\n');
}

export function gruDoc(args: Args): string {
  const after = args.reset_after !== false;
  const biases = args.use_bias !== false;
  // reset_after=True (Keras's default, CuDNN's convention): an input and a recurrent bias per
  // gate, and the reset gate applied after the recurrent product; False: one bias, before.
  const b = (g: string) => (!biases ? '' : after ? ` + b_${g} + b'_${g}` : ` + b_${g}`);
  const gate = (g: string) => apply(args.recurrent_activation, `W_${g}·x_t + U_${g}·h_{t-1}${b(g)}`);
  const candidate = after
    ? `W_h·x_t${biases ? ' + b_h' : ''} + r_t ⊙ (U_h·h_{t-1}${biases ? " + b'_h" : ''})`
    : `W_h·x_t + U_h·(r_t ⊙ h_{t-1})${biases ? ' + b_h' : ''}`;
  const perGate = biases ? ` + ${after ? '2 × units' : 'units'}` : '';
  return [
    `Two gates and a candidate (reset_after=${after ? 'True' : 'False'}):`,
    '',
    `- update \`z_t = ${gate('z')}\``,
    `- reset \`r_t = ${gate('r')}\``,
    `- candidate \`h̃_t = ${apply(args.activation, candidate)}\``,
    '',
    '`h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t`.',
    '',
    weightsLine(args, `Weights: \`3 × (units × (features + units)${perGate})\`${biases && after ? ': with reset_after=True (Keras default) each gate has an input bias and a recurrent bias' : ''}`),
  ].join('\n');
}
