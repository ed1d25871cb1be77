// The kernel thread's entry (a Node worker thread started by parallel.ts; bundled as
// dist/kernel-thread.js). It runs the second half of a split batch's recurrent kernel with its
// own instance of the WebAssembly module, and keeps each forward pass (its tape) until the
// backward pass for it arrives, since a tape only works on the thread that made it.
//
// It blocks in Atomics.wait between requests rather than returning to its event loop: a
// request then starts within microseconds of its posting.
import { MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { elementwiseActivation, type ElementwiseActivation } from './activations';
import { typescriptKernel } from './choice';
import type { InputsKernelForward, InputsKernelInput } from './inputs';
import type { KernelForward, KernelInput } from './kernel';
import { inputsSequenceKernel, sequenceKernel } from './sequence';
import { setSimdEnabled, useSimdBinary } from './simd/module';
import {
  backwardLayout, bytesAt, CONTROL, FLAG, floatsAt, forwardLayout, Header, MAX_BLOCKS, OP, readHeader, readId, RESULT, STATE,
} from './threadProtocol';

/**
 * Forward passes awaiting their backward pass, oldest first. Predict never asks for one, and a
 * collected forward pass's release may come late: past this many the oldest goes, and should
 * its backward pass come after all, the calling thread recomputes that half.
 */
const MAX_PENDING = 16;

const { control: controlBuffer, port } = workerData as { control: SharedArrayBuffer; port: MessagePort };
const control = new Int32Array(controlBuffer);
let data = new SharedArrayBuffer(0);
/** Forward passes on a projection, or (FLAG.inputs) on the layer's input, kernel and bias. */
type Pending = { forward: KernelForward; inputs: null; header: Header } | { forward: null; inputs: InputsKernelForward; header: Header };
const pending = new Map<number, Pending>();

process.on('exit', () => {
  Atomics.store(control, CONTROL.state, STATE.dead);
  Atomics.notify(control, CONTROL.state);
});

function activation(byte: number): ElementwiseActivation {
  const id = readId(control, byte);
  const a = elementwiseActivation(id);
  if (a === null) throw new Error(`kernel thread: unknown activation ${id}`);
  return a;
}

function forward(id: number): void {
  const h = readHeader(control);
  const l = forwardLayout(h);
  const has = (flag: number) => (h.flags & flag) !== 0;
  // xproj, h0 and c0 as views of the shared buffer: every kernel reads them during its forward
  // call only (into its own tape or module memory), so they need no copy of their own; that
  // spares the thread's heap a copy of its half's projection (the largest input) per call.
  // The rest, read again by the backward pass, are copied: the next request overwrites the buffer.
  const common = {
    batch: h.batch,
    steps: h.steps,
    units: h.units,
    recurrentKernel: floatsAt(data, l, 'recurrentKernel').slice(),
    recurrentBias: has(FLAG.recurrentBias) ? floatsAt(data, l, 'recurrentBias').slice() : null,
    h0: floatsAt(data, l, 'h0'),
    c0: has(FLAG.c0) ? floatsAt(data, l, 'c0') : null,
    mask: has(FLAG.mask) ? bytesAt(data, l, 'mask').slice() : null,
    recurrentMask: has(FLAG.recurrentMask) ? floatsAt(data, l, 'recurrentMask').slice() : null,
    activation: activation(CONTROL.activationByte),
    recurrentActivation: activation(CONTROL.recurrentActivationByte),
  };
  setSimdEnabled(has(FLAG.simd));
  // The caller's binary, so both halves of a batch round alike.
  useSimdBinary(has(FLAG.native) ? 'native' : has(FLAG.relaxed) ? 'relaxed' : 'plain');
  if (has(FLAG.inputs)) {
    // x and the bias are read by the forward call only (into the module); the kernel again by
    // the backward pass, so it is copied.
    const inputs = {
      x: floatsAt(data, l, 'x'),
      features: h.features,
      kernel: floatsAt(data, l, 'kernel').slice(),
      bias: has(FLAG.inputsBias) ? floatsAt(data, l, 'bias') : null,
    };
    const input: InputsKernelInput = { ...common, inputs };
    const whole = inputsSequenceKernel(h.kind, input);
    if (whole === null) throw new Error('kernel thread: the WebAssembly kernels did not load here (dist/fused-kernels.wasm)');
    const f = whole(input);
    floatsAt(data, l, 'y').set(f.y);
    if (has(FLAG.forwardOnly)) f.release();
    else hold(id, { forward: null, inputs: f, header: h });
    return;
  }
  const input: KernelInput = { ...common, xproj: floatsAt(data, l, 'xproj') };
  let kernel = typescriptKernel(h.kind);
  if (has(FLAG.wholeSequence)) {
    const whole = sequenceKernel(h.kind, input);
    if (whole === null) throw new Error('kernel thread: the WebAssembly kernels did not load here (dist/fused-kernels.wasm)');
    kernel = whole;
  }
  const f = kernel(input);
  floatsAt(data, l, 'y').set(f.y);
  if (has(FLAG.forwardOnly)) return;
  hold(id, { forward: f, inputs: null, header: h });
}

function hold(id: number, p: Pending): void {
  pending.set(id, p);
  if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
}

/**
 * The backward pass of a forward pass on the input: the input's rows of dx (when wanted) and
 * this half's sums of the weights' gradients, from zeros.
 */
function inputsBackward(f: InputsKernelForward, h: Header): void {
  const l = backwardLayout(h);
  const zeros = (key: 'dKernel' | 'dBias' | 'dRecurrentKernel' | 'dRecurrentBias') => floatsAt(data, l, key).fill(0);
  const g = f.backward(floatsAt(data, l, 'dy'), {
    dx: control[CONTROL.wantDx] ? floatsAt(data, l, 'dx') : null,
    dKernel: zeros('dKernel'),
    dBias: (h.flags & FLAG.inputsBias) !== 0 ? zeros('dBias') : null,
    dRecurrentKernel: zeros('dRecurrentKernel'),
    dRecurrentBias: h.kind === 'gru-reset-after' ? zeros('dRecurrentBias') : null,
  });
  floatsAt(data, l, 'dh0').set(g.dh0);
  if (g.dc0) floatsAt(data, l, 'dc0').set(g.dc0);
  control[CONTROL.result] = RESULT.dRecurrentKernel | (g.dc0 ? RESULT.dc0 : 0);
}

/** Returns false when the forward pass is no longer held. */
function backward(id: number): boolean {
  const held = pending.get(id);
  if (!held) return false;
  pending.delete(id);
  if (held.inputs) {
    inputsBackward(held.inputs, held.header);
    return true;
  }
  const l = backwardLayout(held.header);
  // dy as a view: the backward call copies it into its own memory first, and no result region
  // overlaps it.
  const g = held.forward.backward(floatsAt(data, l, 'dy'));
  floatsAt(data, l, 'dxproj').set(g.dxproj);
  floatsAt(data, l, 'dh0').set(g.dh0);
  let result = 0;
  if (g.dProducts === g.dxproj) result |= RESULT.productsAreDxproj;
  else floatsAt(data, l, 'dProducts').set(g.dProducts);
  if (g.dc0) {
    floatsAt(data, l, 'dc0').set(g.dc0);
    result |= RESULT.dc0;
  }
  if (g.dRecurrentKernel) {
    floatsAt(data, l, 'dRecurrentKernel').set(g.dRecurrentKernel);
    result |= RESULT.dRecurrentKernel;
  } else {
    if (g.productInputs.length > MAX_BLOCKS) throw new Error(`kernel thread: ${g.productInputs.length} product blocks, at most ${MAX_BLOCKS} fit`);
    g.productInputs.forEach((p, i) => {
      floatsAt(data, l, `left${i}`).set(p.left);
      control[CONTROL.blockRanges + 2 * i] = p.from;
      control[CONTROL.blockRanges + 2 * i + 1] = p.to;
    });
    control[CONTROL.blocks] = g.productInputs.length;
  }
  control[CONTROL.result] = result;
  return true;
}

function release(): void {
  const n = control[CONTROL.releases];
  for (let i = 0; i < n; i++) {
    const id = control[CONTROL.releaseIds + i];
    // An inputs kernel's tape is freed in the module too, so the next call need not copy it out.
    pending.get(id)?.inputs?.release();
    pending.delete(id);
  }
  control[CONTROL.releases] = 0;
}

/** Runs one request; returns the state to answer with, or null to end the thread. */
function serve(): number | null {
  // A grown data buffer is posted before the request that needs it.
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) data = (m.message as { data: SharedArrayBuffer }).data;
  const op = control[CONTROL.op];
  if (op === OP.exit) return null;
  release();
  const id = control[CONTROL.id];
  if (op === OP.forward) {
    forward(id);
    return STATE.done;
  }
  return backward(id) ? STATE.done : STATE.missing;
}

Atomics.store(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
for (;;) {
  const state = Atomics.load(control, CONTROL.state);
  if (state !== STATE.request) {
    Atomics.wait(control, CONTROL.state, state);
    continue;
  }
  let answer: number | null;
  try {
    answer = serve();
  } catch (e) {
    port.postMessage({ error: (e as Error).stack ?? String(e) });
    answer = STATE.failed;
  }
  if (answer === null) break;
  Atomics.store(control, CONTROL.state, answer);
  Atomics.notify(control, CONTROL.state);
}
