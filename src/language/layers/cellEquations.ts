import type { ConfigValue } from '../model';
import { apply, bias, gruDoc, lstmDoc, simpleRnnDoc } from './recurrentEquations';

// The equations a cell's hover shows, written for the cell's actual arguments, as the
// recurrent layers' are (recurrentEquations.ts): its activation and recurrent_activation, its
// biases, the gates that have a peephole, the normalization's ε. Each ends with where the
// count comes from (Keras 2, TF Addons, the course's equations) in symbols; the hover's count
// line above it has the numbers filled in.

type Args = Record<string, ConfigValue>;

const STEP = (layer: string) => `One step of ${layer}: RNN(${layer}Cell(...)) computes what ${layer}(...) does.`;

export const simpleRnnCellDoc = (args: Args) => `${STEP('SimpleRNN')}\n\n${simpleRnnDoc(args)}`;
export const lstmCellDoc = (args: Args) => `${STEP('LSTM')}\n\n${lstmDoc(args)}`;
export const gruCellDoc = (args: Args) => `${STEP('GRU')}\n\n${gruDoc(args)}`;

/** The dense blocks' count in symbols: `4 × (units × (features + units) + units)`. */
function blocks(args: Args, n: number): string {
  const inner = `units × (features + units)${args.use_bias === false ? '' : ' + units'}`;
  return n === 1 ? inner : `${n} × (${inner})`;
}

/** The linear part of a gate over x_t and h_{t-1}, with its bias when the cell has one. */
function linear(args: Args, g: string): string {
  return `W_${g}·x_t + U_${g}·h_{t-1}${bias(args, `b_${g}`)}`;
}

/** `h_t = o_t ⊙ tanh(c_t)` for the cell's activation. */
function lstmOutput(args: Args): string {
  return `\`h_t = o_t ⊙ ${apply(args.activation, 'c_t')}\``;
}

export function peepholeLstmCellDoc(args: Args): string {
  const gate = (g: string, state: string) => apply(args.recurrent_activation, `W_${g}·x_t + U_${g}·h_{t-1} + p_${g} ⊙ ${state}${bias(args, `b_${g}`)}`);
  return [
    "Keras 2's `tf.keras.experimental.PeepholeLSTMCell` (Gers & Schmidhuber): one weight per unit lets each gate look at its own unit's cell state.",
    '',
    `- \`f_t = ${gate('f', 'c_{t-1}')}\``,
    `- \`i_t = ${gate('i', 'c_{t-1}')}\``,
    `- \`c_t = f_t ⊙ c_{t-1} + i_t ⊙ ${apply(args.activation, linear(args, 'c'))}\``,
    `- \`o_t = ${gate('o', 'c_t')}\`, ${lstmOutput(args)}`,
    '',
    `Count (Keras 2): the LSTM's plus three peephole vectors, \`${blocks(args, 4)} + 3 × units\`. For full peephole matrices see FullPeepholeLSTMCell.`,
  ].join('\n');
}

export function fullPeepholeLstmCellDoc(args: Args): string {
  const gates = Array.isArray(args.peephole_gates) ? (args.peephole_gates as string[]) : [];
  const gate = (name: string, g: string, state: string) =>
    apply(args.recurrent_activation, `W_${g}·x_t + U_${g}·h_{t-1}${gates.includes(name) ? ` + P_${g}·${state}` : ''}${bias(args, `b_${g}`)}`);
  const without = ['forget', 'input', 'output'].filter((g) => !gates.includes(g));
  return [
    "The peephole LSTM of the course's LSTM variants notes: the chosen gates read the cell state through a full `units × units` matrix, `f_t = σ(W_f·[C_{t-1}, h_{t-1}, x_t] + b_f)`:",
    '',
    `- \`f_t = ${gate('forget', 'f', 'c_{t-1}')}\``,
    `- \`i_t = ${gate('input', 'i', 'c_{t-1}')}\``,
    `- \`c_t = f_t ⊙ c_{t-1} + i_t ⊙ ${apply(args.activation, linear(args, 'c'))}\``,
    `- \`o_t = ${gate('output', 'o', 'c_t')}\` (the new state), ${lstmOutput(args)}`,
    '',
    `\`peephole_gates\` chooses the gates that get a peephole, as many papers use them on some gates only${without.length && gates.length ? `: here not the ${without.join(' and ')} gate${without.length > 1 ? 's' : ''}` : ' (default all three)'}.`,
    '',
    `Count (from those equations): the LSTM's plus one matrix per peephole gate, \`${blocks(args, 4)} + ${gates.length} × units × units\`.`,
  ].join('\n');
}

export function coupledLstmCellDoc(args: Args): string {
  return [
    "The coupled forget and input gates of the course's LSTM variants notes (CIFG in Greff et al.): what is forgotten is replaced, so there is no separate input gate.",
    '',
    `- forget \`f_t = ${apply(args.recurrent_activation, linear(args, 'f'))}\``,
    `- candidate \`c̃_t = ${apply(args.activation, linear(args, 'c'))}\``,
    `- output \`o_t = ${apply(args.recurrent_activation, linear(args, 'o'))}\``,
    '',
    `\`c_t = f_t ⊙ c_{t-1} + (1 − f_t) ⊙ c̃_t\`, ${lstmOutput(args)}.`,
    '',
    `Count (from those equations): three blocks, \`${blocks(args, 3)}\`.`,
  ].join('\n');
}

/** ε as written: 0.001, 1e-05 reads as 0.00001. */
function epsilon(value: ConfigValue | undefined): string {
  return typeof value === 'number' ? String(value) : 'ε';
}

/** `LN(a) = g ⊙ (a − μ) / √(σ² + 0.001) + β`, with the cell's ε. */
function lnDefinition(eps: ConfigValue | undefined): string {
  return `\`LN(a) = g ⊙ (a − μ) / √(σ² + ${epsilon(eps)}) + β\`, with μ and σ over the units of one step of one sample`;
}

export function layerNormSimpleRnnCellDoc(args: Args): string {
  const withBias = args.use_bias !== false;
  return [
    "TensorFlow Addons' `LayerNormSimpleRNNCell`, the layer normalization of the course's Layer Normalization in RNNs notes: right after the linear combination, before the activation.",
    '',
    `\`a_t = W·x_t + U·h_{t-1}\`, \`h_t = ${apply(args.activation, `g ⊙ (a_t − μ_t) / √(σ_t² + ${epsilon(args.layernorm_epsilon)})${withBias ? ' + b' : ''}`)}\``,
    '',
    withBias
      ? 'The cell bias is the shift. Count (TF Addons): `units × (features + units) + units` and one scale per unit, `units × (features + units) + 2 × units`.'
      : 'No shift (use_bias=False). Count (TF Addons): `units × (features + units)` and one scale per unit, `units × (features + units) + units`.',
  ].join('\n');
}

export function layerNormLstmCellDoc(args: Args): string {
  const gate = (g: string) => apply(args.recurrent_activation, `z_${g}`);
  return [
    "TensorFlow Addons' `LayerNormLSTMCell` (Ba et al.): " + lnDefinition(args.norm_epsilon) + '.',
    '',
    `\`z_t = LN_x(W·x_t) + LN_h(U·h_{t-1})${bias(args, 'b')}\`, split into \`z_i, z_f, z_c, z_o\`;`,
    `\`i_t = ${gate('i')}\`, \`f_t = ${gate('f')}\`, \`o_t = ${gate('o')}\`;`,
    `\`c_t = LN_c(f_t ⊙ c_{t-1} + i_t ⊙ ${apply(args.activation, 'z_c')})\`, ${lstmOutput(args)}.`,
    '',
    `Count (TF Addons): the LSTM's plus a scale and a shift for each normalization (4 × units, 4 × units and units wide), \`${blocks(args, 4)} + 18 × units\`.`,
  ].join('\n');
}

export function layerNormGruCellDoc(args: Args): string {
  return [
    "No library had it: this product's layer-normalized GRU, built as TensorFlow Addons' LayerNormLSTMCell is: " + lnDefinition(args.norm_epsilon) + '.',
    '',
    '`[x_z, x_r, x_h] = LN_x(W·x_t)`, `[h_z, h_r, h_h] = LN_h(U·h_{t-1})`',
    `- update \`z_t = ${apply(args.recurrent_activation, `x_z + h_z${bias(args, 'b_z')}`)}\`, reset \`r_t = ${apply(args.recurrent_activation, `x_r + h_r${bias(args, 'b_r')}`)}\``,
    `- candidate \`h̃_t = ${apply(args.activation, `x_h + r_t ⊙ h_h${bias(args, 'b_h')}`)}\` (the reset after the recurrent product)`,
    '',
    '`h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t`.',
    '',
    `Count: \`${blocks(args, 3)}\` and a scale and a shift for both normalizations (3 × units wide each), \`+ 12 × units\`.`,
  ].join('\n');
}
