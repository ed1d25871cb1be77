// A recurrent kernel that takes the layer's input, kernel and bias (fused/inputs.ts) computes
// what the kernel on the projection x · kernel + bias computes, with the projection's gradients
// as projection.ts gives them: on every build of the kernels (the native and WebAssembly ones
// project in their memory; TypeScript projects first), for every kind, with and without a mask,
// a recurrent dropout mask, a bias and the input's gradient, the weights' gradients added to
// their accumulators; split over two threads where a split is forced; and it says which size is
// wrong.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { elementwiseActivation } from '../../src/training/fused/activations';
import { type InputsKernelInput, packOutputRows, runInputsKernel, unpackOutputGradient } from '../../src/training/fused/inputs';
import { GATES, type KernelInput, type RecurrentKind, STATES } from '../../src/training/fused/kernel';
import { addTransposedTimesMatrix, multiplyInTypeScript } from '../../src/training/fused/matmul';
import { configureSplit, kernelThreadCounts, runKernel } from '../../src/training/fused/parallel';
import { simdKernels } from '../../src/training/fused/simd/module';
import { setKernelThreadsEnabled } from '../../src/training/fused/threadHost';
import { automaticImplementation, implementations, useImplementation } from '../helpers/kernelBuilds';
import { assertClose, random, randomArray } from '../helpers/whole-model';

const BUILT = existsSync(path.join(__dirname, '..', '..', 'dist', 'fused-kernels.wasm'));
const KINDS: RecurrentKind[] = ['lstm', 'gru', 'gru-reset-after', 'simple-rnn'];

interface Case {
  k: InputsKernelInput;
  /** The same call on the projection, made in TypeScript here. */
  projected: KernelInput;
}

function inputsCase(kind: RecurrentKind, batch: number, seed: number, options: { mask: boolean; recurrentMask: boolean; bias: boolean }): Case {
  const next = random(seed);
  const steps = 5;
  const units = 4;
  const features = 3;
  const width = GATES[kind] * units;
  const rows = batch * steps;
  const x = randomArray(rows * features, next);
  const kernel = randomArray(features * width, next, 0.6);
  const bias = options.bias ? randomArray(width, next, 0.3) : null;
  const xproj = new Float32Array(rows * width);
  multiplyInTypeScript({ m: rows, n: width, k: features, a: { data: x }, b: { data: kernel }, c: { data: xproj }, rowBias: bias ?? undefined });
  const rest = {
    batch,
    steps,
    units,
    recurrentKernel: randomArray(units * width, next, 0.6),
    recurrentBias: kind === 'gru-reset-after' ? randomArray(width, next, 0.3) : null,
    h0: randomArray(batch * units, next, 0.5),
    c0: kind === 'lstm' ? randomArray(batch * units, next, 0.5) : null,
    mask: options.mask ? Uint8Array.from({ length: rows }, (_, i) => (i % 3 === 1 ? 0 : 1)) : null,
    recurrentMask: options.recurrentMask ? Float32Array.from({ length: batch * units }, (_, i) => (i % 4 === 2 ? 0 : 1.25)) : null,
    activation: elementwiseActivation('tanh')!,
    recurrentActivation: elementwiseActivation('sigmoid')!,
  };
  return { k: { ...rest, inputs: { x, features, kernel, bias } }, projected: { ...rest, xproj } };
}

/** The gradients the inputs kernel must give, from the projection kernel's, in TypeScript. */
function expectedGradients(kind: RecurrentKind, c: Case, dy: Float32Array) {
  const { batch, steps, units, inputs } = c.k;
  const width = GATES[kind] * units;
  const rows = batch * steps;
  const g = runKernel(kind, c.projected).backward(dy);
  const dx = new Float32Array(rows * inputs.features);
  multiplyInTypeScript({ m: rows, n: inputs.features, k: width, a: { data: g.dxproj }, b: { data: inputs.kernel, transpose: true }, c: { data: dx } });
  const dKernel = new Float32Array(inputs.features * width);
  multiplyInTypeScript({ m: inputs.features, n: width, k: rows, a: { data: inputs.x, transpose: true }, b: { data: g.dxproj }, c: { data: dKernel } });
  const dBias = new Float32Array(width);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) dBias[j] += g.dxproj[r * width + j];
  let dR = g.dRecurrentKernel;
  if (!dR) {
    dR = new Float32Array(units * width);
    for (const { left, from, to } of g.productInputs) addTransposedTimesMatrix(left, rows, units, g.dProducts, width, from, to, dR, from, width);
  }
  const dRecurrentBias = new Float32Array(width);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) dRecurrentBias[j] += g.dProducts[r * width + j];
  return { dx, dKernel, dBias, dR, dRecurrentBias, dh0: g.dh0, dc0: g.dc0 };
}

/** outputs: the packed rows the caller reads (every step's, or the last step's), or all of y. */
type Options = { mask: boolean; recurrentMask: boolean; bias: boolean; dx: boolean; outputs?: 'sequences' | 'last' };

/** The inputs kernel's forward pass (said to need no backward pass, when forwardOnly) and its check against the projection kernel's. */
function inputsForward(kind: RecurrentKind, batch: number, seed: number, options: Options, what: string, forwardOnly = false) {
  const c = inputsCase(kind, batch, seed, options);
  const { steps, units } = c.k;
  const sequences = options.outputs === 'sequences';
  if (options.outputs) c.k.outputs = { sequences, into: new Float32Array((sequences ? batch * steps : batch) * units).fill(9) };
  const viaInputs = runInputsKernel(kind, c.k, { forwardOnly });
  const viaProjection = runKernel(kind, c.projected);
  const expectedY = options.outputs ? packOutputRows(viaProjection.y, batch, steps, STATES[kind], units, sequences, new Float32Array(c.k.outputs!.into.length)) : viaProjection.y;
  assertClose(viaInputs.y, expectedY, `${what} y`, 1e-5);
  if (options.outputs) assert.equal(viaInputs.y, c.k.outputs!.into, `${what}: y is the output rows' array`);
  return { c, viaInputs, assertBackward: () => assertBackward(kind, batch, seed, c, viaInputs, options, what) };
}

function assertInputsMatch(kind: RecurrentKind, batch: number, seed: number, options: Options, what: string, forwardOnly = false): void {
  inputsForward(kind, batch, seed, options, what, forwardOnly).assertBackward();
}

function assertBackward(
  kind: RecurrentKind, batch: number, seed: number, c: Case, viaInputs: ReturnType<typeof runInputsKernel>, options: Options, what: string,
): void {
  const width = GATES[kind] * c.k.units;
  const { steps, units } = c.k;
  const o = c.k.outputs;
  // With packed outputs, the gradient of those rows; the reference gets it unpacked (zeros elsewhere).
  const d = randomArray(o ? o.into.length : batch * (steps + STATES[kind]) * units, random(seed + 1));
  const dy = o ? unpackOutputGradient(d, batch, steps, STATES[kind], units, o.sequences) : d;
  // The accumulators start non-zero: the kernel's and the bias's gradients are added to them.
  const start = random(seed + 2);
  const targets = {
    dx: options.dx ? new Float32Array(c.k.inputs.x.length).fill(7) : null,
    dKernel: randomArray(c.k.inputs.features * width, start),
    dBias: options.bias ? randomArray(width, start) : null,
    dRecurrentKernel: randomArray(c.k.units * width, start),
    dRecurrentBias: kind === 'gru-reset-after' ? randomArray(width, start) : null,
  };
  const before = { dKernel: targets.dKernel.slice(), dBias: targets.dBias?.slice(), dR: targets.dRecurrentKernel.slice(), dRB: targets.dRecurrentBias?.slice() };
  const g = viaInputs.backward(d, targets);
  const e = expectedGradients(kind, c, dy);
  const plus = (a: Float32Array, b: Float32Array) => a.map((v, i) => v + b[i]);
  if (targets.dx) assertClose(targets.dx, e.dx, `${what} dx`, 1e-5);
  // Sums over the batch's rows, in the module's order and added to the accumulators there: 1e-4.
  assertClose(targets.dKernel, plus(before.dKernel, e.dKernel), `${what} dKernel`);
  if (targets.dBias) assertClose(targets.dBias, plus(before.dBias!, e.dBias), `${what} dBias`);
  assertClose(targets.dRecurrentKernel, plus(before.dR, e.dR), `${what} dRecurrentKernel`);
  if (targets.dRecurrentBias) assertClose(targets.dRecurrentBias, plus(before.dRB!, e.dRecurrentBias), `${what} dRecurrentBias`);
  assertClose(g.dh0, e.dh0, `${what} dh0`, 1e-5);
  if (kind === 'lstm') assertClose(g.dc0!, e.dc0!, `${what} dc0`, 1e-5);
}

const OPTIONS: Options[] = [
  { mask: false, recurrentMask: false, bias: true, dx: true },
  { mask: true, recurrentMask: false, bias: true, dx: false, outputs: 'sequences' },
  { mask: false, recurrentMask: true, bias: false, dx: true, outputs: 'last' },
  { mask: true, recurrentMask: true, bias: false, dx: false },
];

describe('fused/inputs: a kernel that projects its input itself', function () {
  this.timeout(120_000);

  for (const implementation of implementations(BUILT)) {
    describe(`${implementation} kernels`, () => {
      before(() => useImplementation(implementation));
      after(() => automaticImplementation());

      for (const kind of KINDS) {
        it(`${kind}: the projection kernel's outputs and gradients, the projection's gradients as projection.ts gives them`, () => {
          OPTIONS.forEach((options, i) => assertInputsMatch(kind, 3, 10 + i, options, `${implementation} ${kind} ${JSON.stringify(options)}`));
        });
      }
    });
  }

  it('keeps no tape after release() (a forward pass outside training)', function () {
    const simd = simdKernels();
    if (!BUILT) {
      // Without the module the kernel is the TypeScript one: nothing is held in any case.
      assert.equal(simd, null);
      return;
    }
    assert.ok(simd);
    const c = inputsCase('lstm', 2, 30, { mask: false, recurrentMask: false, bias: true });
    const f = runInputsKernel('lstm', c.k, { forwardOnly: true });
    assert.ok(simd.freeFrom() > simd.base, 'the forward pass holds its tape');
    f.release();
    assert.equal(simd.freeFrom(), simd.base, 'released');
  });

  it('split over two threads where the split runs: each thread projects its half, the same results', async () => {
    configureSplit({ minWork: 0, adaptive: false });
    await setKernelThreadsEnabled(true);
    try {
      for (const kind of KINDS) {
        const before = kernelThreadCounts().split;
        assertInputsMatch(kind, 4, 40, { mask: true, recurrentMask: true, bias: true, dx: true, outputs: kind === 'lstm' ? 'last' : 'sequences' }, `split ${kind}`);
        // runInputsKernel's call and the reference runKernel's (twice) split where there are two cores.
        const split = kernelThreadCounts().split - before;
        assert.ok(split === 0 || split === 3, `${kind}: ${split} split calls`);
      }
      // Said to need no backward pass, the thread keeps no tape: a backward pass all the same recomputes its half here.
      assertInputsMatch('lstm', 5, 41, { mask: true, recurrentMask: false, bias: true, dx: true }, 'split, forward only', true);
      // Two layers' forward passes, then their backward passes in reverse order: each thread keeps both tapes.
      const first = inputsForward('gru-reset-after', 4, 42, OPTIONS[0], 'split, first of two');
      const second = inputsForward('lstm', 3, 43, OPTIONS[1], 'split, second of two');
      second.assertBackward();
      first.assertBackward();
    } finally {
      configureSplit({});
    }
  });

  it('says which size is wrong', () => {
    const { k } = inputsCase('lstm', 2, 50, { mask: false, recurrentMask: false, bias: true });
    const { x, kernel, bias } = k.inputs;
    assert.throws(() => runInputsKernel('lstm', { ...k, inputs: { ...k.inputs, x: x.subarray(1) } }), /29 input values for 2 × 5 steps of 3 features/);
    assert.throws(() => runInputsKernel('lstm', { ...k, inputs: { ...k.inputs, kernel: kernel.subarray(2) } }), /a kernel of 46 values for 3 × 16/);
    assert.throws(() => runInputsKernel('lstm', { ...k, inputs: { ...k.inputs, bias: bias!.subarray(1) } }), /a bias of 15 values for 16 columns/);
  });
});
