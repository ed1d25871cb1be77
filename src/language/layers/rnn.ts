import { BASE_ARGS, type LayerSpec } from './spec';
import { recurrentInput } from './recurrent';
import * as cells from './cells';
import type { ConfigValue, Shape } from '../model';

/** The cells by name, for RNN's hover to show its cell's equations. */
const CELLS: ReadonlyMap<string, LayerSpec> = new Map(
  Object.values(cells)
    .filter((v): v is LayerSpec => typeof v === 'object' && v !== null && 'infer' in v)
    .map((s) => [s.name, s]),
);

const DOC = [
  'The generic recurrent layer of Keras: `RNN(cell)` applies the cell at every step, feeding its states to the next step. `RNN(LSTMCell(32))` computes what `LSTM(32)` does; the cells Keras lacks (peephole, coupled-gate and layer-normalized) are used the same way.',
  '',
  'The parameters are the cell\'s.',
].join('\n');

// Keras's generic recurrent layer: runs a cell (LSTMCell, PeepholeLSTMCell, StackedRNNCells,
// ...) over the steps. Its count and formula are the cell's; its outputs the cell's output,
// per step or last, then the cell's final states with return_state=True.

export const RNN: LayerSpec = {
  name: 'RNN',
  autoName: 'rnn',
  category: 'recurrent',
  summary: 'Runs a recurrent cell over the sequence: RNN(LSTMCell(32)), RNN(PeepholeLSTMCell(32)).',
  doc: DOC,
  /** Its cell's equations, for the cell's arguments. */
  explain(args: Record<string, ConfigValue>): string {
    const cell = args.cell as { type?: string; config?: Record<string, ConfigValue> } | null | undefined;
    const spec = cell?.type ? CELLS.get(cell.type) : undefined;
    if (!spec || !cell?.config) return DOC;
    return `${DOC}\n\n**${spec.name}**: ${spec.explain ? spec.explain(cell.config) : spec.doc}`;
  },
  args: [
    { name: 'cell', type: { t: 'layer', of: ['cell'] }, required: true, positional: true, doc: 'The cell run at every step, e.g. LSTMCell(32) or StackedRNNCells([...]).' },
    { name: 'return_sequences', type: { t: 'bool' }, default: false, doc: 'Output the whole sequence (None, steps, units) instead of the last step (None, units). Needed when another recurrent layer follows.' },
    { name: 'return_state', type: { t: 'bool' }, default: false, doc: "Also output the cell's final state(s)." },
    { name: 'go_backwards', type: { t: 'bool' }, default: false, doc: 'Process the sequence backwards.' },
    { name: 'stateful', type: { t: 'bool' }, default: false },
    { name: 'unroll', type: { t: 'bool' }, default: false },
    ...BASE_ARGS,
  ],
  infer(ctx) {
    const dims = recurrentInput(ctx, 'RNN');
    if (!dims) return null;
    const [steps, features] = dims;
    const inner = ctx.inferInner([null, features]);
    if (!inner) return null;
    const [step, ...states] = inner.outputShapes;
    const width = step[1];
    const main: Shape = ctx.args.return_sequences ? [null, steps, width] : [null, width];
    return { outputs: ctx.args.return_state ? [main, ...states] : [main], params: inner.params, formula: inner.formula, inner };
  },
};
