// The optimizers' update formulas over one weight's Float32Arrays, in place: tfjs-core's own
// formulas (src/optimizers/*_optimizer.ts), each one loop over the values instead of a dozen
// tfjs kernels per weight. ElementwiseAdam (the tfjs path) and the whole-model path's
// optimizers (wholeModel/optimizers.ts) both step through these, so the two paths cannot drift.
//
// Each loop computes in double precision and stores float32; the weights agree with tfjs's to
// float32 rounding (test/unit/training-adam.test.ts, training-whole-model-optimizers.test.ts).
// Small functions of their own: V8 optimises each as a unit.

/** Adam: moments m, v; stepSize = −lr / (1 − β1ᵗ), secondScale = 1 / (1 − β2ᵗ) fold in the bias corrections. */
export function adamStep(x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, b1: number, b2: number, stepSize: number, secondScale: number, eps: number): void {
  const oneMinusB1 = 1 - b1;
  const oneMinusB2 = 1 - b2;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = m[i] * b1 + gi * oneMinusB1;
    const vi = v[i] * b2 + gi * gi * oneMinusB2;
    m[i] = mi;
    v[i] = vi;
    x[i] += (mi * stepSize) / (Math.sqrt(vi * secondScale) + eps);
  }
}

/** Plain SGD: x − lr·g. */
export function sgdStep(x: Float32Array, g: Float32Array, lr: number): void {
  const n = x.length;
  for (let i = 0; i < n; i++) x[i] -= lr * g[i];
}

/** Momentum (tf.train.momentum): a = μ·a + g; x −= lr·a, or lr·(g + μ·a) with Nesterov. */
export function momentumStep(x: Float32Array, g: Float32Array, acc: Float32Array, lr: number, momentum: number, nesterov: boolean): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const a = momentum * acc[i] + g[i];
    acc[i] = a;
    x[i] -= lr * (nesterov ? g[i] + a * momentum : a);
  }
}

/**
 * RMSprop (tf.train.rmsprop): ms = ρ·ms + (1 − ρ)·g²; mom = μ·mom + lr·g / √(ms + ε); x −= mom.
 * Centered (mg non-null): the mean gradient mg = ρ·mg + (1 − ρ)·g and the root of
 * ms − (mg² + ε), as tfjs writes it.
 */
export function rmspropStep(
  x: Float32Array, g: Float32Array, ms: Float32Array, mom: Float32Array, mg: Float32Array | null,
  lr: number, rho: number, momentum: number, eps: number,
): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const s = ms[i] * rho + gi * gi * (1 - rho);
    ms[i] = s;
    let denominator: number;
    if (mg !== null) {
      const mgi = mg[i] * rho + gi * (1 - rho);
      mg[i] = mgi;
      denominator = Math.sqrt(s - (mgi * mgi + eps));
    } else {
      denominator = Math.sqrt(s + eps);
    }
    const step = mom[i] * momentum + (gi * lr) / denominator;
    mom[i] = step;
    x[i] -= step;
  }
}

/** Adagrad: acc += g²; x −= lr·g / √(acc + ε) (ε: the backend's, 1e-7). */
export function adagradStep(x: Float32Array, g: Float32Array, acc: Float32Array, lr: number, eps: number): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const a = acc[i] + gi * gi;
    acc[i] = a;
    x[i] -= (gi / Math.sqrt(a + eps)) * lr;
  }
}

/**
 * Adadelta as tfjs computes it: the update's denominator uses the squared-gradient average from
 * before this step (tfjs reads the old accumulator), then both averages move.
 */
export function adadeltaStep(x: Float32Array, g: Float32Array, accGrad: Float32Array, accUpdate: Float32Array, lr: number, rho: number, eps: number): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const update = (Math.sqrt(accUpdate[i] + eps) / Math.sqrt(accGrad[i] + eps)) * gi;
    accGrad[i] = accGrad[i] * rho + gi * gi * (1 - rho);
    accUpdate[i] = accUpdate[i] * rho + update * update * (1 - rho);
    x[i] -= update * lr;
  }
}

/** Adamax: m = β1·m + (1 − β1)·g; u = max(β2·u, |g|); x += stepSize·m / (u + ε), stepSize = −lr / (1 − β1ᵗ). */
export function adamaxStep(x: Float32Array, g: Float32Array, m: Float32Array, u: Float32Array, b1: number, b2: number, stepSize: number, eps: number): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = m[i] * b1 + gi * (1 - b1);
    const ui = Math.max(u[i] * b2, Math.abs(gi));
    m[i] = mi;
    u[i] = ui;
    x[i] += (stepSize * mi) / (ui + eps);
  }
}
