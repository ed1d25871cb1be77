import { formatCount } from '../formatting';
import type { ConfigValue, Shape } from '../model';
import {
  coupledLstmCellDoc,
  fullPeepholeLstmCellDoc,
  gruCellDoc,
  layerNormGruCellDoc,
  layerNormLstmCellDoc,
  layerNormSimpleRnnCellDoc,
  lstmCellDoc,
  peepholeLstmCellDoc,
  simpleRnnCellDoc,
} from './cellEquations';
import { recurrentActivation, units, WEIGHT_ARGS } from './recurrent';
import { activation, BASE_ARGS, initializerArg, trainable, type ArgSpec, type InferContext, type LayerResult, type LayerSpec } from './spec';

// Recurrent cells: one time step of a recurrent layer, run over the sequence by RNN(cell).
// Keras has SimpleRNNCell, LSTMCell and GRUCell; the others are the course's LSTM variants and
// layer-normalized cells, under Keras 2 / TensorFlow Addons names where those libraries had
// them (PeepholeLSTMCell, LayerNormSimpleRNNCell, LayerNormLSTMCell) and otherwise a name of
// ours. A cell sees one step: its input is (batch, features); its outputs are the step's
// output followed by its states (Keras's state_size), which RNN turns into layer outputs.

/** The arguments a Keras cell takes: the recurrent layers' minus the sequence ones. */
const CELL_COMMON: ArgSpec[] = [...WEIGHT_ARGS, ...BASE_ARGS.slice(0, 3)];

const posActivation: ArgSpec = { ...activation('tanh'), positional: true };
const unitForgetBias: ArgSpec = { name: 'unit_forget_bias', type: { t: 'bool' }, default: true, doc: 'Start the forget-gate bias at 1 (Keras default).' };
const resetAfter: ArgSpec = { name: 'reset_after', type: { t: 'bool' }, default: true, doc: 'Apply the reset gate after the matrix multiply (Keras default True: two bias vectors per gate).' };
// TF Addons' names: LayerNormSimpleRNNCell's layernorm_epsilon and gamma_initializer (its
// normalization has no shift: the cell's bias is one), LayerNormLSTMCell's norm_* arguments.
const normArgs = (epsilon: number, prefix: 'norm' | 'layernorm'): ArgSpec[] => [
  { name: `${prefix}_epsilon`, type: { t: 'float', min: 0 }, default: epsilon, doc: 'Added to the variance before the square root.' },
  initializerArg(prefix === 'norm' ? 'norm_gamma_initializer' : 'gamma_initializer', 'ones', 'Initial scale g of the normalization.'),
  ...(prefix === 'norm' ? [initializerArg('norm_beta_initializer', 'zeros', 'Initial shift of the normalization.')] : []),
];

/** The gates a full-matrix peephole can feed, in the order of the course's equations. */
export const PEEPHOLE_GATES = ['forget', 'input', 'output'] as const;

/** The weights of one cell, for a count and its formula with the numbers filled in. */
interface CellCount {
  total: number;
  formula: string;
}

/** `blocks × (u × (f + u) + bias)`: the dense blocks over [h_{t-1}, x_t] every cell has. */
function denseBlocks(blocks: number, u: number, f: number, biasPerUnit: number): CellCount {
  const bias = biasPerUnit === 0 ? '' : biasPerUnit === 1 ? ` + ${u}` : ` + ${biasPerUnit} × ${u}`;
  const inner = `${u} × (${f} + ${u})${bias}`;
  return { total: blocks * (u * (f + u) + biasPerUnit * u), formula: blocks === 1 ? inner : `${blocks} × (${inner})` };
}

function plus(base: CellCount, extra: number, formula: string): CellCount {
  return extra === 0 ? base : { total: base.total + extra, formula: `${base.formula} + ${formula}` };
}

interface CellKind {
  name: string;
  autoName: string;
  summary: string;
  /** The equations and where the count comes from, for the cell's arguments (cellEquations.ts). */
  explain: (args: Record<string, ConfigValue>) => string;
  extraArgs: ArgSpec[];
  /** Number of states, each `units` wide: 2 for the LSTMs (h and c), 1 otherwise. */
  states: number;
  /**
   * Why the cell takes no dropout/recurrent_dropout, for the cells whose source (the course's
   * equations) defines none: their exported Keras class has none, so a rate would not export.
   */
  noDropout?: string;
  count(u: number, f: number, args: Record<string, ConfigValue>, ctx: InferContext): CellCount | null;
}

const DROPOUT_ARGS = ['dropout', 'recurrent_dropout'] as const;

function makeCell({ name, autoName, summary, explain, extraArgs, states, count, noDropout }: CellKind): LayerSpec {
  const common = noDropout ? CELL_COMMON.map((a) => (DROPOUT_ARGS.some((d) => d === a.name) ? { ...a, doc: `Not available for ${name}: ${noDropout}.` } : a)) : CELL_COMMON;
  const args = [units, posActivation, ...extraArgs, ...common];
  return {
    name,
    autoName,
    category: 'cell',
    summary,
    doc: explain(Object.fromEntries(args.map((a) => [a.name, a.default ?? null]))),
    explain,
    args,
    infer(ctx): LayerResult | null {
      const f = ctx.input[ctx.input.length - 1];
      if (ctx.input.length !== 2 || f === null) {
        ctx.report('incompatible-shape', `${name} is one step of a recurrent layer: it needs the steps' features (batch, features); wrap it in RNN(${name}(...)).`);
        return null;
      }
      const u = ctx.args.units as number;
      const dropped = noDropout ? DROPOUT_ARGS.filter((d) => ctx.args[d] !== 0) : [];
      for (const d of dropped) {
        ctx.report('invalid-argument', `${name} takes no ${d}: ${noDropout}. Use a cell that has it (LSTMCell, PeepholeLSTMCell, LayerNormLSTMCell, GRUCell, ...) or a Dropout layer after the RNN.`, ctx.span(d));
      }
      if (dropped.length) return null;
      const c = count(u, f, ctx.args, ctx);
      if (!c) return null;
      const outputs: Shape[] = Array.from({ length: 1 + states }, () => [null, u]);
      return { outputs, params: trainable(c.total), formula: `${c.formula} = ${formatCount(c.total)}` };
    },
  };
}

const bias = (args: Record<string, ConfigValue>) => (args.use_bias !== false ? 1 : 0);

export const SimpleRNNCell = makeCell({
  name: 'SimpleRNNCell',
  autoName: 'simple_rnn_cell',
  summary: 'One step of SimpleRNN, for RNN(cell).',
  explain: simpleRnnCellDoc,
  extraArgs: [],
  states: 1,
  count: (u, f, a) => denseBlocks(1, u, f, bias(a)),
});

export const LSTMCell = makeCell({
  name: 'LSTMCell',
  autoName: 'lstm_cell',
  summary: 'One step of LSTM, for RNN(cell).',
  explain: lstmCellDoc,
  extraArgs: [recurrentActivation, unitForgetBias],
  states: 2,
  count: (u, f, a) => denseBlocks(4, u, f, bias(a)),
});

export const GRUCell = makeCell({
  name: 'GRUCell',
  autoName: 'gru_cell',
  summary: 'One step of GRU, for RNN(cell).',
  explain: gruCellDoc,
  extraArgs: [recurrentActivation, resetAfter],
  states: 1,
  count: (u, f, a) => denseBlocks(3, u, f, a.use_bias === false ? 0 : a.reset_after !== false ? 2 : 1),
});

export const PeepholeLSTMCell = makeCell({
  name: 'PeepholeLSTMCell',
  autoName: 'peephole_lstm_cell',
  summary: 'LSTM step whose gates also see the cell state through diagonal peepholes (Keras 2).',
  explain: peepholeLstmCellDoc,
  extraArgs: [recurrentActivation, unitForgetBias],
  states: 2,
  count: (u, f, a) => plus(denseBlocks(4, u, f, bias(a)), 3 * u, `3 × ${u}`),
});

export const FullPeepholeLSTMCell = makeCell({
  name: 'FullPeepholeLSTMCell',
  autoName: 'full_peephole_lstm_cell',
  summary: "LSTM step whose gates see the whole cell state through peephole matrices (the course's LSTM variants notes).",
  explain: fullPeepholeLstmCellDoc,
  extraArgs: [
    recurrentActivation,
    unitForgetBias,
    {
      name: 'peephole_gates',
      type: { t: 'list', item: { t: 'enum', values: PEEPHOLE_GATES } },
      default: [...PEEPHOLE_GATES],
      doc: 'The gates with a peephole matrix: a list of "forget", "input", "output".',
    },
  ],
  states: 2,
  noDropout: "the course's equations define it without dropout, and so does the Keras class Export writes for it",
  count: (u, f, a, ctx) => {
    const gates = peepholeGates(a.peephole_gates, ctx);
    if (!gates) return null;
    return plus(denseBlocks(4, u, f, bias(a)), gates.length * u * u, `${gates.length} × ${u} × ${u}`);
  },
});

/** Checks peephole_gates beyond its type: distinct gates, at least one (else a plain LSTMCell). */
export function peepholeGates(value: ConfigValue | undefined, ctx: InferContext): string[] | null {
  const gates = value as string[];
  const span = ctx.span('peephole_gates');
  const twice = gates.find((g, i) => gates.indexOf(g) !== i);
  if (twice !== undefined) {
    ctx.report('invalid-argument', `peephole_gates names "${twice}" twice.`, span);
    return null;
  }
  if (gates.length === 0) {
    const all = `[${PEEPHOLE_GATES.map((g) => `"${g}"`).join(', ')}]`;
    ctx.report('invalid-argument', 'peephole_gates is empty: without a peephole this is LSTMCell. Name at least one gate, or use LSTMCell.', span, [
      { title: `Peepholes on every gate: ${all}`, edits: [{ span, newText: all }], preferred: true },
    ]);
    return null;
  }
  return gates;
}

export const CoupledLSTMCell = makeCell({
  name: 'CoupledLSTMCell',
  autoName: 'coupled_lstm_cell',
  summary: "LSTM step with coupled input and forget gates (CIFG, the course's LSTM variants notes).",
  explain: coupledLstmCellDoc,
  extraArgs: [recurrentActivation, unitForgetBias],
  states: 2,
  noDropout: "the course's equations define it without dropout, and so does the Keras class Export writes for it",
  count: (u, f, a) => denseBlocks(3, u, f, bias(a)),
});

export const LayerNormSimpleRNNCell = makeCell({
  name: 'LayerNormSimpleRNNCell',
  autoName: 'layer_norm_simple_rnn_cell',
  summary: 'SimpleRNN step normalized before its activation (TensorFlow Addons).',
  explain: layerNormSimpleRnnCellDoc,
  extraArgs: normArgs(1e-5, 'layernorm'),
  states: 1,
  count: (u, f, a) => plus(denseBlocks(1, u, f, bias(a)), u, `${u}`),
});

export const LayerNormLSTMCell = makeCell({
  name: 'LayerNormLSTMCell',
  autoName: 'layer_norm_lstm_cell',
  summary: 'LSTM step with layer normalization of its inputs, recurrence and cell state (TensorFlow Addons).',
  explain: layerNormLstmCellDoc,
  extraArgs: [recurrentActivation, unitForgetBias, ...normArgs(1e-3, 'norm')],
  states: 2,
  count: (u, f, a) => plus(denseBlocks(4, u, f, bias(a)), 18 * u, `18 × ${u}`),
});

export const LayerNormGRUCell = makeCell({
  name: 'LayerNormGRUCell',
  autoName: 'layer_norm_gru_cell',
  summary: 'GRU step with layer normalization of its inputs and recurrence (as TF Addons does for LSTM).',
  explain: layerNormGruCellDoc,
  extraArgs: [recurrentActivation, ...normArgs(1e-3, 'norm')],
  states: 1,
  noDropout: 'no library had this cell: it is defined without dropout, and so is the Keras class Export writes for it',
  count: (u, f, a) => plus(denseBlocks(3, u, f, bias(a)), 12 * u, `12 × ${u}`),
});

export const StackedRNNCells: LayerSpec = {
  name: 'StackedRNNCells',
  autoName: 'stacked_rnn_cells',
  category: 'cell',
  summary: 'Several cells run one after the other at every step, as one cell.',
  doc: [
    'Each cell reads the previous cell\'s output of the same step; the states are all the cells\' states in order. The count is the sum of the cells\'.',
    '',
    'Keras: `RNN(StackedRNNCells([LSTMCell(32), LSTMCell(16)]))`.',
  ].join('\n'),
  args: [{ name: 'cells', type: { t: 'layers', of: ['cell'] }, required: true, positional: true, doc: 'The cells, first to last: a list such as [LSTMCell(32), GRUCell(16)].' }, ...BASE_ARGS.slice(0, 3)],
  infer(ctx) {
    const cells = ctx.inferEach('cells', (prev) => (prev ? [null, prev.outputShapes[0][1]] : ctx.input));
    if (!cells) return null;
    if (cells.length === 0) {
      ctx.report('invalid-argument', 'StackedRNNCells needs at least one cell, e.g. [LSTMCell(32), LSTMCell(16)].', ctx.span('cells'));
      return null;
    }
    const total = cells.reduce((s, c) => s + c.params.total, 0);
    const t = cells.reduce((s, c) => s + c.params.trainable, 0);
    const last = cells[cells.length - 1];
    return {
      outputs: [last.outputShapes[0], ...cells.flatMap((c) => c.outputShapes.slice(1))],
      params: { total, trainable: t, nonTrainable: total - t },
      formula: cells.length === 1 ? last.formula : `${cells.map((c) => formatCount(c.params.total)).join(' + ')} = ${formatCount(total)}`,
    };
  },
};
