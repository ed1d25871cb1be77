// Keras's 'orthogonal' initializer (the default for every recurrent kernel), computed in plain
// JavaScript. tfjs's own builds the QR decomposition out of tensor ops, one Householder step
// at a time: measured on this machine, LSTM(128)'s (128, 512) recurrent kernel takes 1 s on
// wasm and 32 s on cpu, LSTM(256)'s 15 s and 6 minutes; it also prints a "Slowness may result"
// warning for anything above 2,000 values. Gram-Schmidt in Float64 takes milliseconds.
//
// Same definition as Keras and tfjs: draw a (max(r, c), min(r, c)) standard normal matrix
// (r = product of all but the last dim, c = the last), take Q of its QR decomposition with
// R's diagonal made positive, transpose it when r < c, multiply by the gain.
import * as tf from '../tf';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';

// tfjs-layers accepts an initializer object only if it is an instance of its Initializer
// class, which it does not export: take it from one of its subclasses.
const InitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as abstract new () => Initializer;

export interface OrthogonalArgs {
  gain?: number;
  seed?: number;
}

/**
 * Orthonormal columns of an m × n matrix (m ≥ n) given column by column, by modified
 * Gram-Schmidt with a second pass ("twice is enough" for orthogonality to rounding error).
 * Gram-Schmidt's R has a positive diagonal, which is the sign convention Keras imposes.
 */
export function orthonormalColumns(columns: Float64Array[]): Float64Array[] {
  const q: Float64Array[] = [];
  for (const column of columns) {
    const v = Float64Array.from(column);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < v.length; i++) dot += u[i] * v[i];
        for (let i = 0; i < v.length; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12)) throw new Error('orthogonal initializer: a random column was degenerate');
    for (let i = 0; i < v.length; i++) v[i] /= norm;
    q.push(v);
  }
  return q;
}

export class FastOrthogonal extends InitializerBase {
  static className = 'SeqModelOrthogonal';
  readonly gain: number;
  seed: number | undefined;

  constructor(args: OrthogonalArgs = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed ?? undefined;
  }

  apply(shape: tf.Shape, dtype?: tf.DataType): tf.Tensor {
    if (shape.length < 2) throw new Error('The orthogonal initializer needs a shape of at least 2 dims');
    const dims = shape as number[];
    const cols = dims[dims.length - 1];
    const rows = dims.slice(0, -1).reduce((a, b) => a * b, 1);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    // tfjs's seeded normal generator, so a seed means the same draw as tfjs's Orthogonal.
    const normal = tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', this.seed).dataSync());
    const columns = Array.from({ length: n }, (_, j) => {
      const c = new Float64Array(m);
      for (let i = 0; i < m; i++) c[i] = normal[i * n + j];
      return c;
    });
    const q = orthonormalColumns(columns); // Q is m × n, held as n columns
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        // rows ≥ cols: the result is Q itself; otherwise Q transposed.
        out[i * cols + j] = this.gain * (rows >= cols ? q[j][i] : q[i][j]);
      }
    }
    return tf.tensor(out, dims, dtype === 'int32' ? 'int32' : 'float32');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

// The base class is reached at run time, so its static side (fromConfig) is not in the type.
tf.serialization.registerClass(
  FastOrthogonal as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
