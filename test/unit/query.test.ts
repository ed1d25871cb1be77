import { strict as assert } from 'node:assert';
import { analysisSteps, analyze, argumentAt, layerAt, runSteps, type Analysis, type ArgSpec, type Ast, type LayerInfo } from '../../src/language';

// layerAt and argumentAt find a model's line by binary search. These compare it, at every offset of the
// text, with the plain definition: the first layer call, in the order written, whose span
// holds the offset (ends inclusive), and the analysed layer at that call's place among the
// model's calls.

function expected(a: Analysis, offset: number): { callee: string; start: number; layer: unknown } | undefined {
  for (const stmt of a.document.statements) {
    if (stmt.kind !== 'model' || offset < stmt.span.start || offset > stmt.span.end) continue;
    const model = stmt.name ? a.models.find((m) => m.span.start === stmt.span.start) : undefined;
    const calls = model ? a.modelDetails.get(model.name)?.calls : undefined;
    for (const expr of stmt.layers) {
      if (expr.kind !== 'call' || offset < expr.span.start || offset > expr.span.end) continue;
      const index = calls ? calls.indexOf(expr) : -1;
      const info = model && index >= 0 ? model.layers[index] : null;
      return onName(expr, info, offset);
    }
    return undefined;
  }
  return undefined;
}

/** The layer whose name is at `offset` in this line, a wrapped one (its `inner`) included (the texts here give no initializer calls). */
function onName(call: Ast.Call, info: LayerInfo | null, offset: number): { callee: string; start: number; layer: unknown } | undefined {
  if (offset >= call.callee.span.start && offset <= call.callee.span.end) return { callee: call.callee.name, start: call.span.start, layer: info };
  for (const arg of call.args) {
    const value = arg.value;
    if (value?.kind === 'call' && offset >= value.span.start && offset <= value.span.end) return onName(value, info?.inner ?? null, offset);
  }
  return undefined;
}

function checkEveryOffset(a: Analysis, text: string): number {
  let hits = 0;
  for (let offset = 0; offset <= text.length; offset++) {
    const want = expected(a, offset);
    const got = layerAt(a, offset);
    const gotLine = got && { callee: got.call.callee.name, start: got.call.span.start, layer: got.layer };
    assert.deepEqual(gotLine, want, `offset ${offset} (${JSON.stringify(text.slice(Math.max(0, offset - 8), offset))}|${JSON.stringify(text.slice(offset, offset + 8))})`);
    if (want) hits++;
  }
  return hits;
}

/** Every keyword argument's name in a model's lines, wrapped calls included. */
function argumentNames(a: Analysis): Ast.Ident[] {
  const names: Ast.Ident[] = [];
  const visit = (expr: Ast.Expr | null): void => {
    if (expr?.kind !== 'call') return;
    for (const arg of expr.args) {
      if (arg.name) names.push(arg.name);
      visit(arg.value);
    }
  };
  for (const stmt of a.document.statements) if (stmt.kind === 'model') stmt.layers.forEach(visit);
  return names;
}

describe('layerAt and argumentAt: the model line under the cursor', () => {
  it('every offset of models with many lines, lines that are not calls, wrapped layers and errors', () => {
    const text = [
      'let k = 4',
      'model a {',
      '  input(10, 3)',
      ...Array.from({ length: 300 }, (_, i) => (i % 7 === 3 ? `  LSTM(${i % 5 + 1}, return_sequences=True)` : i % 11 === 5 ? '  Bidirectional(LSTM(2, return_sequences=True))' : `  Dense(${i % 4 + 1})`)),
      '  Dense(1)Dense(2); Dense(3);Dense(4)',
      '  k',
      '  Dense(',
      '  Dense(2)',
      '}',
      'model { Dense(1); Dense(2) }',
      'model b { input(3); Dense(2); Nope(1); Dense(k) }',
    ].join('\n');
    const a = analyze(text);
    assert.ok(checkEveryOffset(a, text) > 300 * 4);
    // argumentAt: at every offset, the keyword argument whose name holds it (ends inclusive), or none.
    const names = argumentNames(a);
    const specs = (): ArgSpec[] => [...new Set(names.map((n) => n.name))].map((name) => ({ name, type: { t: 'int' } }) as ArgSpec);
    assert.ok(names.length > 40);
    for (let offset = 0; offset <= text.length; offset++) {
      const want = names.find((n) => n.span.start <= offset && offset <= n.span.end);
      assert.equal(argumentAt(a, offset, specs)?.arg.name, want, `offset ${offset}`);
    }
  });

  it('after an edit analysed incrementally: the same answers as the plain definition', () => {
    const before = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(400) + '}\n';
    const at = before.indexOf('Dense(1)', before.length >> 1);
    const after = before.slice(0, at) + 'LSTM(4)' + before.slice(at + 'Dense(1)'.length);
    const a = runSteps(analysisSteps(after, analyze(before)));
    assert.ok(checkEveryOffset(a, after) >= 400 * 4);
    const last = after.lastIndexOf('Dense(1)');
    // The last layer's shape is the one the LSTM line gave every later line.
    assert.deepEqual(layerAt(a, last + 2)?.layer?.outputShapes, [[null, 1]]);
    assert.deepEqual(layerAt(analyze(before), last + 2)?.layer?.outputShapes, [[null, 3, 1]]);
  });
});
