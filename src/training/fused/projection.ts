// A recurrent layer's input projection for every step at once, and its gradients: the largest
// products of a long sequence (the sentiment model's 16,000 rows of 32 features times a 32 × 128
// kernel, three times a training step). Done on Float32Arrays by matmul.ts, so the projection
// never becomes a tfjs tensor between the input and the recurrent kernel: tfjs would copy it in
// and out of its own memory, and add the bias with a broadcast that measured slower than the
// product itself.
import * as tf from '../tf';
import { columnSumsProduct, multiply, multiplyAll } from './matmul';
import { simdKernels } from './simd/module';

/**
 * (rows × width) = x (rows × features) · kernel (features × width) + bias on every row, into
 * `out` when given (a caller's reused buffer of at least rows × width), else a new array.
 */
export function projectInputs(
  x: Float32Array, rows: number, features: number, kernel: Float32Array, width: number, bias: Float32Array | null,
  out: Float32Array = new Float32Array(rows * width),
): Float32Array {
  multiply({ m: rows, n: width, k: features, a: { data: x }, b: { data: kernel }, c: { data: out }, rowBias: bias ?? undefined });
  return out;
}

export interface ProjectionGradients {
  /** (rows × features) */
  dx: Float32Array;
  /** (features × width) */
  dKernel: Float32Array;
  /** (width), when the projection has a bias. */
  dBias: Float32Array | null;
}

/** The gradients of projectInputs, from the projection's gradient dOut (rows × width). */
export function projectionGradients(
  x: Float32Array, rows: number, features: number, kernel: Float32Array, width: number, hasBias: boolean, dOut: Float32Array,
): ProjectionGradients {
  const into = { dx: new Float32Array(rows * features), dKernel: new Float32Array(features * width), dBias: hasBias ? new Float32Array(width) : null };
  addProjectionGradients(x, rows, features, kernel, width, dOut, into);
  return into;
}

/**
 * The same gradients into a caller's arrays: dKernel and dBias added into (a layer's gradient
 * accumulators), dx written (a reused buffer: overwriting spares the module a copy of it in);
 * dx is skipped when null (nothing before the layer needs it), dBias when null.
 */
export function addProjectionGradients(
  x: Float32Array, rows: number, features: number, kernel: Float32Array, width: number, dOut: Float32Array,
  into: { dx: Float32Array | null; dKernel: Float32Array; dBias: Float32Array | null },
): void {
  // One call, so dOut (the largest array) goes into the WebAssembly module once for all three.
  multiplyAll([
    ...(into.dx ? [{ m: rows, n: features, k: width, a: { data: dOut }, b: { data: kernel, transpose: true }, c: { data: into.dx } }] : []),
    { m: features, n: width, k: rows, a: { data: x, transpose: true }, b: { data: dOut }, c: { data: into.dKernel }, accumulate: true },
    ...(into.dBias ? [{ ...columnSumsProduct(dOut, rows, width, into.dBias), accumulate: true }] : []),
  ]);
}

/** A layer's input projection on its tensors: the forward values, and the gradients as tensors. */
export interface InputProjection {
  /** (batch·steps × width) floats. */
  forward(): Float32Array;
  /**
   * From the projection's gradient: the gradients of x, the kernel and (when given) the bias, in
   * that order. x and the kernel as tfjs kept them for the gradient (customGrad's save).
   */
  backward(dOut: Float32Array, x: tf.Tensor3D, kernel: tf.Tensor2D): tf.Tensor[];
}

/**
 * Where the fused op's large products (the projection, its gradients, the recurrent kernel's
 * gradient) run: in the WebAssembly module when it loads, except on tfjs-node, whose native
 * matMul uses every core with wider vectors (not measurable on this machine: tfjs-node does not
 * load here); without the module, tfjs's matMul (XNNPACK on the wasm backend) beats the
 * TypeScript loops.
 */
export function productsInModule(): boolean {
  return simdKernels() !== null && tf.getBackend() !== 'tensorflow';
}

/** The projection where productsInModule says. */
export function inputProjection(x: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor1D | null): InputProjection {
  const [batch, steps, features] = x.shape;
  const rows = batch * steps;
  const width = kernel.shape[1];
  if (productsInModule()) {
    const xs = floats(x);
    const ks = floats(kernel);
    return {
      forward: () => projectInputs(xs, rows, features, ks, width, bias && floats(bias)),
      backward: (dOut) => {
        const g = projectionGradients(xs, rows, features, ks, width, bias !== null, dOut);
        const grads: tf.Tensor[] = [tf.tensor3d(g.dx, [batch, steps, features]), tf.tensor2d(g.dKernel, [features, width])];
        if (g.dBias) grads.push(tf.tensor1d(g.dBias));
        return grads;
      },
    };
  }
  return {
    forward: () => {
      return valuesOf(() => {
        const product = tf.matMul(tf.reshape(x, [rows, features]), kernel);
        return bias ? tf.add(product, bias) : product;
      });
    },
    // Transposed explicitly: tfjs-backend-wasm computes matMul's transposeA/transposeB outside
    // XNNPACK, measured 9-16× slower than transposing first.
    backward: (dOut, savedX, savedKernel) => tf.tidy(() => {
      const d = tf.tensor2d(dOut, [rows, width]);
      const grads: tf.Tensor[] = [
        tf.reshape(tf.matMul(d, tf.transpose(savedKernel)), [batch, steps, features]),
        tf.matMul(tf.transpose(tf.reshape(savedX, [rows, features])), d),
      ];
      if (bias) grads.push(tf.sum(d, 0));
      return grads;
    }),
  };
}

/**
 * The values of the tensor `make` computes, its intermediates disposed. Read outside tidy: tidy
 * walks whatever its function returns, a typed array element by element.
 */
export function valuesOf(make: () => tf.Tensor): Float32Array {
  const t = tf.tidy(make);
  const values = floats(t);
  t.dispose();
  return values;
}

/** A tensor's values (on cpu, its own storage: only read). */
export function floats(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}
