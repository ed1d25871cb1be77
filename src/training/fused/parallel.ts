// A recurrent kernel's batch split over two threads. The samples of a batch are independent,
// so the first half runs on the calling thread while the second runs on the kernel thread
// (kernelThread.ts) at the same time, forward and backward; each half's tape stays on the
// thread that made it. Per-sample results (y, dxproj, dProducts, dh0, dc0 and the product
// factors) concatenate in batch order, since every layout is batch-major; the recurrent
// kernel's gradient, a sum over the batch, adds up. The result equals the one-thread kernel's
// up to the order of that sum.
//
// `runKernel` is the one place a kernel call is made (op.ts, and the whole-model path), so
// every caller gets the split where it pays, and one thread where it does not.
import { singleThreadKernel } from './choice';
import type { GradientTargets, InputsKernelForward, InputsKernelGradients, InputsKernelInput, ProjectionInputs } from './inputs';
import { GATES, KernelForward, KernelGradients, KernelInput, RecurrentKind, STATES } from './kernel';
import { addInto } from './matmul';
import { runsWholeSequence } from './sequence';
import { simdKernels, simdName } from './simd/module';
import { KernelThread, kernelThread } from './threadHost';
import {
  backwardLayout, bytesAt, CONTROL, FLAG, floatsAt, forwardLayout, Header, OP, RESULT, STATE, writeHeader, writeId,
} from './threadProtocol';

/**
 * The least work (multiply-adds of one half's forward pass, per batchWork) worth trying a split
 * for: a hand-off costs tens of microseconds (two wake-ups, copies in and out of the shared
 * buffer), so a half should take a few hundred. Measured: bench/fused-kernels.ts, docs/training.md.
 */
export const MIN_SPLIT_WORK = 1_000_000;

/**
 * Whether a split pays also depends on the machine's load: a second core busy with other
 * processes makes the thread's half the slower one. So each shape of call (kind, batch, steps,
 * units) is watched for its first split calls: the time of the whole split call against this
 * thread's own half, whose double is what one thread would have taken for the whole batch.
 * Timing whole batches on one thread instead would grow this thread's module memory to a whole
 * batch's tape, which it never gives back (the memory the split saves; docs/training.md). After
 * PROBES calls (the first dropped: warm-up) the shape runs the faster way, and is watched afresh
 * every REPROBE_AFTER calls, so a run follows the machine's load.
 */
const PROBES = 4;
const REPROBE_AFTER = 400;
/** A split must be this much faster than the one-thread estimate to be kept (timing noise). */
const SPLIT_MARGIN = 0.9;

interface Trial {
  /** Split calls' wall time over this thread's own half's (2 = no gain); the first is dropped. */
  ratios: number[];
  /** The faster way once measured, and calls since. */
  choice: 'one' | 'two' | null;
  since: number;
}

let minWork = MIN_SPLIT_WORK;
let adaptive = true;
const trials = new Map<string, Trial>();

/**
 * Changes the policy (the tests split small batches every time; the benchmark measures both
 * ways): the least work, and whether to watch the split's gain or split whenever the work suffices.
 */
export function configureSplit(options: { minWork?: number; adaptive?: boolean }): void {
  minWork = options.minWork ?? MIN_SPLIT_WORK;
  adaptive = options.adaptive ?? true;
  trials.clear();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Whether this call should split, and the trial to record its gain in (while watching). */
function shouldSplit(key: string): { split: boolean; trial: Trial | null } {
  if (!adaptive) return { split: true, trial: null };
  let t = trials.get(key);
  if (!t) {
    if (trials.size > 256) trials.clear();
    t = { ratios: [], choice: null, since: 0 };
    trials.set(key, t);
  }
  if (t.choice !== null) {
    if (++t.since < REPROBE_AFTER) return { split: t.choice === 'two', trial: null };
    t.ratios = [];
    t.choice = null;
  }
  return { split: true, trial: t };
}

function record(t: Trial, ratio: number): void {
  t.ratios.push(ratio);
  if (t.ratios.length > PROBES) {
    t.choice = median(t.ratios.slice(1)) < 2 * SPLIT_MARGIN ? 'two' : 'one';
    t.since = 0;
  }
}

/** One half's forward multiply-adds, about: the recurrent product and the gate arithmetic. */
export function batchWork(kind: RecurrentKind, batch: number, steps: number, units: number): number {
  const gu = GATES[kind] * units;
  return Math.ceil(batch / 2) * steps * gu * (units + 8);
}

let counts = { split: 0, single: 0 };

/** How many kernel calls ran split and on one thread since the last reset (a run's report). */
export function kernelThreadCounts(reset = false): { split: number; single: number } {
  const c = counts;
  if (reset) counts = { split: 0, single: 0 };
  return { ...c };
}

/** Samples [from, to) of a kernel input: views, no copies. */
function samples(k: KernelInput, from: number, to: number): KernelInput {
  const { steps: t, units: u } = k;
  const gu = k.xproj.length / (k.batch * t);
  const rows = (a: Float32Array, width: number) => a.subarray(from * width, to * width);
  return {
    ...k,
    batch: to - from,
    xproj: rows(k.xproj, t * gu),
    h0: rows(k.h0, u),
    c0: k.c0 && rows(k.c0, u),
    mask: k.mask && k.mask.subarray(from * t, to * t),
    recurrentMask: k.recurrentMask && rows(k.recurrentMask, u),
  };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The two halves' gradients as one batch's. */
function merge(a: KernelGradients, b: KernelGradients): KernelGradients {
  const dxproj = concat(a.dxproj, b.dxproj);
  const g: KernelGradients = {
    dxproj,
    dh0: concat(a.dh0, b.dh0),
    dc0: a.dc0 && b.dc0 && concat(a.dc0, b.dc0),
    dProducts: a.dProducts === a.dxproj && b.dProducts === b.dxproj ? dxproj : concat(a.dProducts, b.dProducts),
    productInputs: a.productInputs.map((p, i) => ({ left: concat(p.left, b.productInputs[i].left), from: p.from, to: p.to })),
  };
  if (a.dRecurrentKernel && b.dRecurrentKernel) {
    const d = a.dRecurrentKernel.slice();
    addInto(d, b.dRecurrentKernel);
    g.dRecurrentKernel = d;
  }
  return g;
}

/**
 * Posts the forward pass of `k` (the second half) to the thread: on its projection, or
 * (`inputs`) on the layer's input, kernel and bias, which the thread projects itself.
 */
function postForward(
  thread: KernelThread, kind: RecurrentKind, k: Omit<KernelInput, 'xproj' | 'reuse'>, source: { xproj: Float32Array } | { inputs: ProjectionInputs },
  whole: boolean, forwardOnly: boolean, id: number,
): Header {
  const binary = simdKernels()?.binary;
  const inputs = 'inputs' in source ? source.inputs : null;
  const flags = (k.recurrentBias ? FLAG.recurrentBias : 0) | (k.c0 ? FLAG.c0 : 0) | (k.mask ? FLAG.mask : 0) |
    (k.recurrentMask ? FLAG.recurrentMask : 0) | (binary !== undefined ? FLAG.simd : 0) | (whole ? FLAG.wholeSequence : 0) |
    (forwardOnly ? FLAG.forwardOnly : 0) | (binary === 'relaxed' ? FLAG.relaxed : 0) | (binary === 'native' ? FLAG.native : 0) |
    (inputs ? FLAG.inputs : 0) | (inputs?.bias ? FLAG.inputsBias : 0);
  const header: Header = { kind, batch: k.batch, steps: k.steps, units: k.units, flags, features: inputs?.features ?? 0 };
  const l = forwardLayout(header);
  const data = thread.data(Math.max(l.bytes, backwardLayout(header).bytes));
  writeHeader(thread.control, header);
  writeId(thread.control, CONTROL.activationByte, k.activation.id);
  writeId(thread.control, CONTROL.recurrentActivationByte, k.recurrentActivation.id);
  if (inputs) {
    floatsAt(data, l, 'x').set(inputs.x);
    floatsAt(data, l, 'kernel').set(inputs.kernel);
    if (inputs.bias) floatsAt(data, l, 'bias').set(inputs.bias);
  } else {
    floatsAt(data, l, 'xproj').set((source as { xproj: Float32Array }).xproj);
  }
  floatsAt(data, l, 'recurrentKernel').set(k.recurrentKernel);
  floatsAt(data, l, 'h0').set(k.h0);
  if (k.recurrentBias) floatsAt(data, l, 'recurrentBias').set(k.recurrentBias);
  if (k.c0) floatsAt(data, l, 'c0').set(k.c0);
  if (k.mask) bytesAt(data, l, 'mask').set(k.mask);
  if (k.recurrentMask) floatsAt(data, l, 'recurrentMask').set(k.recurrentMask);
  thread.post(OP.forward, id);
  return header;
}

/**
 * The thread's gradients for its half: views of the shared buffer, valid until the next request
 * (merge copies them at once), which spares a copy of each.
 */
function threadGradients(thread: KernelThread, header: Header): KernelGradients {
  const data = thread.data(0);
  const l = backwardLayout(header);
  const result = thread.control[CONTROL.result];
  const read = (key: Parameters<typeof floatsAt>[2]) => floatsAt(data, l, key as never);
  const dxproj = read('dxproj');
  const g: KernelGradients = {
    dxproj,
    dh0: read('dh0'),
    dc0: result & RESULT.dc0 ? read('dc0') : null,
    dProducts: result & RESULT.productsAreDxproj ? dxproj : read('dProducts'),
    productInputs: [],
  };
  if (result & RESULT.dRecurrentKernel) g.dRecurrentKernel = read('dRecurrentKernel');
  else {
    for (let i = 0; i < thread.control[CONTROL.blocks]; i++) {
      const at = CONTROL.blockRanges + 2 * i;
      g.productInputs.push({ left: read(`left${i}`), from: thread.control[at], to: thread.control[at + 1] });
    }
  }
  return g;
}

/**
 * How long to wait for the thread's half, given the time this thread's half took (the same
 * work). A thread that ends by an error or process.exit says so at once (its exit handler), but
 * one ended from outside (terminate, out of memory) cannot: this bounds the stall then, yet
 * leaves a live thread that a busy machine deschedules for a while (load 15 here) its time.
 */
export const PATIENCE_MS = 5_000;

function patience(ownMs: number): number {
  return Math.max(PATIENCE_MS, 20 * ownMs);
}

/**
 * Runs this thread's half while the thread runs its own. Should this half throw, the thread's
 * answer is still awaited, so the next request never finds it busy with this one.
 */
function whileThreadWorks<T>(thread: KernelThread, own: () => T): T {
  const started = Date.now();
  try {
    return own();
  } catch (e) {
    thread.answer(patience(Date.now() - started));
    throw e;
  }
}

let nextId = 1;

/** The thread's forward passes, released when their KernelForward is collected (no backward pass came). */
const collected = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<{ thread: KernelThread; id: number }>(({ thread, id }) => thread.release(id))
  : null;

export interface RunOptions {
  /**
   * No backward pass is expected (a layer called outside training: Predict, evaluation), so the
   * thread keeps no tape. Should one be asked for all the same, that half is recomputed here.
   */
  forwardOnly?: boolean;
}

/**
 * Runs a recurrent kernel: split over two threads when the batch has at least two samples, the
 * work is worth a hand-off, the kernel thread is allowed (threadHost.ts: by default wherever
 * there is a second core) and the split measures faster than one thread would be; else on this
 * thread alone.
 */
export function runKernel(kind: RecurrentKind, k: KernelInput, options: RunOptions = {}): KernelForward {
  const kernel = singleThreadKernel(kind, k);
  const whole = runsWholeSequence(kind, k.activation.id, k.recurrentActivation.id);
  // The implementation is part of the shape: the WebAssembly and TypeScript kernels differ in speed.
  return splitWherePays(kind, k, `${kind} ${k.batch} ${k.steps} ${k.units} ${whole} ${simdName()}`, () => kernel(k),
    (thread) => runSplit(thread, kind, k, kernel, whole, options.forwardOnly === true));
}

/**
 * runKernel for a kernel that projects its input itself (inputs.ts: the WebAssembly and native
 * kernels), by the same policy: split, each half projects its own samples on its own thread.
 */
export function runInputsKernelSplit(
  kind: RecurrentKind, k: InputsKernelInput, kernel: (k: InputsKernelInput) => InputsKernelForward, options: RunOptions,
  /** Turns the split's forward pass, on all of y, into one on the rows k.outputs asks for. */
  packed: (whole: InputsKernelForward) => InputsKernelForward,
): InputsKernelForward {
  return splitWherePays(kind, k, `inputs ${kind} ${k.batch} ${k.steps} ${k.units} ${simdName()}`, () => kernel(k), (thread) => {
    const { forward, ownMs } = runInputsSplit(thread, kind, { ...k, outputs: undefined }, kernel, options.forwardOnly === true);
    return { forward: packed(forward), ownMs };
  });
}

/** One thread or a split as the policy says (its trials watched under `key`), counted. */
function splitWherePays<F>(
  kind: RecurrentKind, k: Shape, key: string, single: () => F, splitRun: (thread: KernelThread) => { forward: F; ownMs: number },
): F {
  const thread = splitThread(kind, k);
  const { split, trial } = thread === null ? { split: false, trial: null } : shouldSplit(key);
  if (!split) {
    counts.single++;
    return single();
  }
  counts.split++;
  const t0 = performance.now();
  const { forward, ownMs } = splitRun(thread!);
  if (trial && ownMs > 0) record(trial, (performance.now() - t0) / ownMs);
  return forward;
}

type Shape = Pick<KernelInput, 'batch' | 'steps' | 'units' | 'activation' | 'recurrentActivation'>;

/** The kernel thread when a call of this shape may split (two samples, enough work, a thread allowed), else null. */
function splitThread(kind: RecurrentKind, k: Shape): KernelThread | null {
  return k.batch >= 2 && batchWork(kind, k.batch, k.steps, k.units) >= minWork ? kernelThread() : null;
}

/**
 * For a caller with a one-thread path of its own (rows.ts): true when runKernel should get the
 * call, to split it; false when the caller runs it on one thread, which this counts as runKernel
 * would. Under the automatic policy that caller always keeps the call: the probes above weigh a
 * split against this thread's half on the projection path, which the rows path beats by skipping
 * the gather and the copies, so they chose the split where one thread was faster (sentiment at
 * load 1-1.5, native kernels: 491 samples/s by default against 743 on one thread; the split had
 * measured 0.80-1.10x on that shape even on a quiet machine, docs/benchmarks.md). A forced split
 * (configureSplit with adaptive false, as the tests do) still splits.
 */
export function splitsNext(kind: RecurrentKind, k: Shape): boolean {
  if (!adaptive && splitThread(kind, k) !== null) return true;
  counts.single++;
  return false;
}

/**
 * Both halves' forward passes: the thread's posted (on `source`, its projection or its inputs),
 * this thread's run meanwhile; then the thread's y, or, should the thread fail, this thread's own
 * run of that half (`local`).
 */
function splitHalves<I extends Omit<KernelInput, 'xproj' | 'reuse'>, F extends { y: Float32Array }>(
  thread: KernelThread, kind: RecurrentKind, mine: I, theirs: I, source: { xproj: Float32Array } | { inputs: ProjectionInputs },
  kernel: (k: I) => F, whole: boolean, forwardOnly: boolean,
): { own: F; local: F | null; yTheirs: Float32Array; header: Header; id: number; ownMs: number } {
  const id = nextId++;
  const header = postForward(thread, kind, theirs, source, whole, forwardOnly, id);
  const started = performance.now();
  const own = whileThreadWorks(thread, () => kernel(mine));
  const ownMs = performance.now() - started;
  if (thread.answer(patience(ownMs)) === STATE.done) return { own, local: null, yTheirs: floatsAt(thread.data(0), forwardLayout(header), 'y'), header, id, ownMs };
  const local = kernel(theirs);
  return { own, local, yTheirs: local.y, header, id, ownMs };
}

/**
 * Posts the backward pass of the thread's half when the thread made its forward pass and is
 * still the same, alive: then its half runs there while this thread runs its own. False when
 * not posted (that half is computed here).
 */
function postBackward(thread: KernelThread, threadRanForward: boolean, header: Header, id: number, dyTheirs: Float32Array): boolean {
  if (!threadRanForward || kernelThread() !== thread) return false;
  floatsAt(thread.data(0), backwardLayout(header), 'dy').set(dyTheirs);
  thread.post(OP.backward, id);
  return true;
}

/** The split forward pass, and the wall milliseconds of this thread's own half. */
function runSplit(
  thread: KernelThread, kind: RecurrentKind, k: KernelInput, kernel: (k: KernelInput) => KernelForward, whole: boolean, forwardOnly: boolean,
): { forward: KernelForward; ownMs: number } {
  const cut = Math.ceil(k.batch / 2);
  const theirs = samples(k, cut, k.batch);
  const { own, local, yTheirs, header, id, ownMs } = splitHalves(thread, kind, samples(k, 0, cut), theirs, theirs, kernel, whole, forwardOnly);
  const y = concat(own.y, yTheirs);
  const rowY = (k.steps + STATES[kind]) * k.units;
  const forward: KernelForward = {
    y,
    backward(dy) {
      const dyMine = dy.subarray(0, cut * rowY);
      const dyTheirs = dy.subarray(cut * rowY);
      const posted = postBackward(thread, local === null, header, id, dyTheirs);
      const t0 = Date.now();
      collected?.unregister(forward);
      const a = posted ? whileThreadWorks(thread, () => own.backward(dyMine)) : own.backward(dyMine);
      const answer = posted ? thread.answer(patience(Date.now() - t0)) : null;
      // The thread lost its tape (it died, or let the forward pass go): recompute that half here.
      const b = answer === STATE.done ? threadGradients(thread, header) : (local ?? kernel(theirs)).backward(dyTheirs);
      return merge(a, b);
    },
  };
  if (local === null && !forwardOnly) collected?.register(forward, { thread, id }, forward);
  return { forward, ownMs };
}

/** Samples [from, to) of an inputs kernel's input: views, no copies (reuse.y as given). */
function inputSamples(k: InputsKernelInput, from: number, to: number, y?: Float32Array): InputsKernelInput {
  const { steps: t, units: u } = k;
  const rows = (a: Float32Array, width: number) => a.subarray(from * width, to * width);
  return {
    ...k,
    batch: to - from,
    inputs: { ...k.inputs, x: rows(k.inputs.x, t * k.inputs.features) },
    h0: rows(k.h0, u),
    c0: k.c0 && rows(k.c0, u),
    mask: k.mask && k.mask.subarray(from * t, to * t),
    recurrentMask: k.recurrentMask && rows(k.recurrentMask, u),
    reuse: y && { y },
  };
}

/**
 * The split forward pass of an inputs kernel, and the wall milliseconds of this thread's own
 * half. Both halves write their y into one array (reuse.y when it fits); backward, this
 * thread's half adds its weight gradients into the targets in its module and writes its
 * rows of dx, the thread's half its own sums, which are added here.
 */
function runInputsSplit(
  thread: KernelThread, kind: RecurrentKind, k: InputsKernelInput, kernel: (k: InputsKernelInput) => InputsKernelForward, forwardOnly: boolean,
): { forward: InputsKernelForward; ownMs: number } {
  const cut = Math.ceil(k.batch / 2);
  const rowY = (k.steps + STATES[kind]) * k.units;
  const size = k.batch * rowY;
  const y = k.reuse?.y?.length === size ? k.reuse.y : new Float32Array(size);
  const theirs = inputSamples(k, cut, k.batch);
  // This thread's half writes its y into the first rows itself.
  const { own, local, yTheirs, header, id, ownMs } = splitHalves(thread, kind, inputSamples(k, 0, cut, y.subarray(0, cut * rowY)), theirs, theirs, kernel, true, forwardOnly);
  y.set(yTheirs, cut * rowY);
  const xRow = k.steps * k.inputs.features;
  const forward: InputsKernelForward = {
    y,
    release() {
      collected?.unregister(forward);
      own.release();
      local?.release();
      if (local === null && !forwardOnly) thread.release(id);
    },
    backward(dy, targets) {
      const dyMine = dy.subarray(0, cut * rowY);
      const dyTheirs = dy.subarray(cut * rowY);
      thread.control[CONTROL.wantDx] = targets.dx ? 1 : 0;
      const posted = postBackward(thread, local === null, header, id, dyTheirs);
      const t0 = Date.now();
      collected?.unregister(forward);
      const mineTargets: GradientTargets = { ...targets, dx: targets.dx && targets.dx.subarray(0, cut * xRow) };
      const a = posted ? whileThreadWorks(thread, () => own.backward(dyMine, mineTargets)) : own.backward(dyMine, mineTargets);
      const answer = posted ? thread.answer(patience(Date.now() - t0)) : null;
      let b: InputsKernelGradients;
      if (answer === STATE.done) {
        b = threadInputsGradients(thread, header, targets, cut * xRow);
      } else {
        // The thread lost its tape (it died, or let the forward pass go): recompute that half here.
        b = (local ?? kernel(theirs)).backward(dyTheirs, { ...targets, dx: targets.dx && targets.dx.subarray(cut * xRow) });
      }
      return { dh0: concat(a.dh0, b.dh0), dc0: a.dc0 && b.dc0 && concat(a.dc0, b.dc0) };
    },
  };
  if (local === null && !forwardOnly) collected?.register(forward, { thread, id }, forward);
  return { forward, ownMs };
}

/** The thread's half of an inputs kernel's backward pass: its dx rows written at `dxFrom`, its weight gradient sums added into the targets. */
function threadInputsGradients(thread: KernelThread, header: Header, targets: GradientTargets, dxFrom: number): InputsKernelGradients {
  const data = thread.data(0);
  const l = backwardLayout(header);
  const read = (key: Parameters<typeof floatsAt>[2]) => floatsAt(data, l, key as never);
  if (targets.dx) targets.dx.set(read('dx'), dxFrom);
  addInto(targets.dKernel, read('dKernel'));
  if (targets.dBias) addInto(targets.dBias, read('dBias'));
  addInto(targets.dRecurrentKernel, read('dRecurrentKernel'));
  if (targets.dRecurrentBias) addInto(targets.dRecurrentBias, read('dRecurrentBias'));
  // Views of the shared buffer, as threadGradients's: the caller concatenates them at once.
  return { dh0: read('dh0'), dc0: thread.control[CONTROL.result] & RESULT.dc0 ? read('dc0') : null };
}
