import { lookupLayer } from '../../language';
import { argument, type Reader } from './reader';
import { calleeName, type PyExpr } from './syntax';
import { ImportProblem, type LayerLine, type Val } from './values';

// A Keras layer call written in Python, as a .seqmodel layer line. The language names every
// argument as Keras does, so a call is copied argument by argument: constants become their
// `let` names, `tf.keras.layers.LSTM` becomes `LSTM`, and an argument the language does not
// know is dropped with a warning rather than written into a line that would not analyse.

type Call = Extract<PyExpr, { k: 'call' }>;

export const INPUT_CLASSES = new Set(['Input', 'InputLayer']);

/** Is this the name of a layer class the importer can write? */
export function isLayerClass(name: string | null): boolean {
  return !!name && (INPUT_CLASSES.has(name) || !!lookupLayer(name));
}

/** The number of outputs a recurrent layer call has (return_state=True adds the states). */
function outputCount(name: string, call: Call, r: Reader): number {
  const rs = argument(call, 'return_state');
  if (!rs) return 1;
  const v = r.eval(rs);
  if (v.k !== 'const' || v.value !== true) return 1;
  return name === 'LSTM' ? 3 : 2;
}

export function layerFromCall(call: Call, r: Reader): { line: LayerLine; outputs: number } {
  const name = calleeName(call.callee) ?? r.source(call.callee);
  try {
    if (INPUT_CLASSES.has(name)) return { line: inputLine(call, r), outputs: 1 };
    return { line: { text: layerText(call, name, r), from: call.from }, outputs: outputCount(name, call, r) };
  } catch (e) {
    if (!(e instanceof ImportProblem)) throw e;
    return { line: { text: '', from: call.from, problem: `${r.source(call)} is not imported: ${e.message}` }, outputs: 1 };
  }
}

function inputLine(call: Call, r: Reader): LayerLine {
  const shape = argument(call, 'shape', 0) ?? argument(call, 'input_shape');
  if (shape) return { text: `Input(shape=${r.constDsl(shape, 'the input shape')})`, from: call.from, isInput: true };
  const batchShape = argument(call, 'batch_shape') ?? argument(call, 'batch_input_shape');
  const v = batchShape && r.eval(batchShape);
  if (v?.k === 'const' && Array.isArray(v.value) && v.value.length > 1) {
    const dims = v.value.slice(1).map((d) => (d === null ? 'None' : String(d)));
    return { text: `input(${dims.join(', ')})`, from: call.from, isInput: true };
  }
  throw new ImportProblem('an Input needs shape=(...)', call);
}

function layerText(call: Call, name: string, r: Reader): string {
  const spec = lookupLayer(name)!;
  if (call.spread) throw new ImportProblem('*args and **kwargs cannot be read', call);
  const positional = spec.args.filter((a) => a.positional);
  if (call.args.length > positional.length) throw new ImportProblem(`${name} takes at most ${positional.length} positional argument(s)`, call.args[positional.length]);
  const parts = call.args.map((a, i) => argValue(a, r, `${name}'s ${positional[i].name}`, positional[i].name === 'cell'));
  for (const kw of call.kwargs) {
    if (!spec.args.some((a) => a.name === kw.name)) {
      r.warn(kw.value, `${name}: the argument ${kw.name}=${r.source(kw.value)} is not one SeqModel knows; dropped.`);
      continue;
    }
    parts.push(`${kw.name}=${argValue(kw.value, r, `${name}'s ${kw.name}`, kw.name === 'cell')}`);
  }
  return `${name}(${parts.join(', ')})`;
}

/** A cell's line: a Keras cell (also a TF1-named LSTMCell held by a name), else null. */
function cellText(v: Val, r: Reader, at: PyExpr): string | null {
  const call = v.k === 'cell' ? v.call : v.k === 'cells' ? v.call : undefined;
  if (!call) return null;
  const inner = layerFromCall(call, r);
  if (inner.line.problem) throw new ImportProblem(inner.line.problem, at);
  return inner.line.text;
}

/**
 * An argument: a constant, a wrapped layer (Bidirectional(LSTM(8))), a cell or a list of cells
 * (StackedRNNCells([...]); Keras's RNN([...]) stacks the list as StackedRNNCells does, and is
 * written so), or an initializer call.
 */
function argValue(e: PyExpr, r: Reader, what: string, isCell = false): string {
  if (e.k === 'call') {
    const callee = calleeName(e.callee);
    if (callee && lookupLayer(callee)) {
      const inner = layerFromCall(e, r);
      if (inner.line.problem) throw new ImportProblem(inner.line.problem, e);
      return inner.line.text;
    }
    // Initializers, regularizers and constraints: keras.regularizers.l2(0.01) → l2(0.01).
    if (callee) {
      if (e.spread) throw new ImportProblem('*args and **kwargs cannot be read', e);
      const args = [...e.args.map((a) => r.constDsl(a, what)), ...e.kwargs.map((k) => `${k.name}=${r.constDsl(k.value, what)}`)];
      return `${callee}(${args.join(', ')})`;
    }
  }
  const v = r.eval(e);
  if (v.k === 'layer') {
    if (v.line.problem) throw new ImportProblem(v.line.problem, e);
    return v.line.text;
  }
  const cell = cellText(v, r, e);
  if (cell !== null) return cell;
  const items = e.k === 'list' || e.k === 'tuple' ? e.items : null;
  const values = v.k === 'list' || v.k === 'tuple' ? v.items : null;
  if (items && items.length > 0 && items.every((i) => i.k === 'call' && lookupLayer(calleeName(i.callee) ?? '')?.category === 'cell')) {
    const list = `[${items.map((i) => argValue(i, r, what)).join(', ')}]`;
    return isCell ? `StackedRNNCells(${list})` : list;
  }
  if (values && values.length > 0 && values.every((i) => i.k === 'cell' || (i.k === 'cells' && i.call))) {
    const list = `[${values.map((i) => cellText(i, r, e)).join(', ')}]`;
    return isCell ? `StackedRNNCells(${list})` : list;
  }
  return r.constDsl(e, what);
}
