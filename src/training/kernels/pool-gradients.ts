// The gradients of 2-D max and average pooling (what tfjs's MaxPooling1D and AveragePooling1D
// run on: a sequence is an image one row high), for the wasm and cpu backends.
//
// Why, MaxPoolGrad on wasm: tfjs-backend-wasm 4.22 looks for each window's maximum starting from
// std::numeric_limits<float>::min(), the smallest POSITIVE float, at position 0. A window whose
// values are all zero or negative (every window after a ReLU that is off, many after tanh) finds
// no maximum: its gradient goes to the first input of the whole tensor if the window covers it,
// and is otherwise dropped. It also breaks ties towards the last maximum, where the cpu backend
// (and this kernel) take the first. Models with MaxPooling1D on the tfjs path trained with wrong
// gradients on the default backend.
//
// Why, AvgPoolGrad on wasm and cpu: under padding='same' an edge window covers fewer steps than
// pool_size. tfjs's forward pass averages over the steps covered (as TensorFlow does: padding is
// not counted), but both backends' gradients divide by pool_size, so those steps' gradients were
// too small. Here the gradient divides by the same count as the forward pass.
import * as tf from '../tf';
import { replaceKernel, type IOKernel } from './tensor-io';

/** Where the windows of a 2-D pooling lie (NHWC; dilation 1, the only one pooling takes). */
export interface PoolGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** Padding before the first row and column. */
  padTop: number;
  padLeft: number;
}

type PoolAttrs = Pick<tf.MaxPoolGradAttrs, 'filterSize' | 'strides' | 'pad' | 'dimRoundingMode'>;

/** The geometry tfjs's own pooling kernels compute for these attributes. */
export function poolGeometry(inShape: number[], attrs: PoolAttrs): PoolGeometry {
  const info = tf.backend_util.computePool2DInfo(
    inShape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Calls `visit` for each output position with the input rows and columns its window covers
 * (padding excluded) and the offsets of its first channel in the input's batch and the output.
 */
function forEachWindow(
  g: PoolGeometry,
  visit: (rowStart: number, rowEnd: number, colStart: number, colEnd: number, batchOffset: number, outOffset: number) => void,
): void {
  for (let b = 0; b < g.batch; b++) {
    const batchOffset = b * g.inHeight * g.inWidth * g.channels;
    for (let yR = 0; yR < g.outHeight; yR++) {
      const top = yR * g.strideHeight - g.padTop;
      const rowStart = Math.max(0, top);
      const rowEnd = Math.min(g.inHeight, top + g.filterHeight);
      for (let yC = 0; yC < g.outWidth; yC++) {
        const left = yC * g.strideWidth - g.padLeft;
        const outOffset = ((b * g.outHeight + yR) * g.outWidth + yC) * g.channels;
        visit(rowStart, rowEnd, Math.max(0, left), Math.min(g.inWidth, left + g.filterWidth), batchOffset, outOffset);
      }
    }
  }
}

/**
 * dx += each output's gradient at its window's maximum: the first one in row-major order when
 * several tie (as tfjs's cpu backend). A window of NaNs only has no maximum and passes nothing,
 * also as the cpu backend. `dx` must start zeroed.
 */
export function maxPoolGradInto(x: ArrayLike<number>, dy: ArrayLike<number>, g: PoolGeometry, dx: { [i: number]: number }): void {
  const channels = g.channels;
  const best = new Float64Array(channels);
  const at = new Int32Array(channels);
  forEachWindow(g, (rowStart, rowEnd, colStart, colEnd, batchOffset, outOffset) => {
    best.fill(-Infinity);
    at.fill(-1);
    for (let r = rowStart; r < rowEnd; r++) {
      for (let c = colStart; c < colEnd; c++) {
        const pixel = batchOffset + (r * g.inWidth + c) * channels;
        for (let ch = 0; ch < channels; ch++) {
          const v = x[pixel + ch];
          if (v > best[ch]) {
            best[ch] = v;
            at[ch] = pixel + ch;
          }
        }
      }
    }
    for (let ch = 0; ch < channels; ch++) if (at[ch] >= 0) dx[at[ch]] += dy[outOffset + ch];
  });
}

/** dx += each output's gradient spread evenly over the input steps its window covers. `dx` must start zeroed. */
export function avgPoolGradInto(dy: ArrayLike<number>, g: PoolGeometry, dx: { [i: number]: number }): void {
  const channels = g.channels;
  forEachWindow(g, (rowStart, rowEnd, colStart, colEnd, batchOffset, outOffset) => {
    const share = 1 / ((rowEnd - rowStart) * (colEnd - colStart));
    for (let r = rowStart; r < rowEnd; r++) {
      for (let c = colStart; c < colEnd; c++) {
        const pixel = batchOffset + (r * g.inWidth + c) * channels;
        for (let ch = 0; ch < channels; ch++) dx[pixel + ch] += dy[outOffset + ch] * share;
      }
    }
  });
}

const maxPoolGrad: IOKernel = (io, inputs, attrs) => {
  const input = inputs.input as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const dx = io.allocate(input.shape, 'float32');
  maxPoolGradInto(io.read(input), io.read(dy), poolGeometry(input.shape, attrs as unknown as PoolAttrs), dx.values);
  return dx.info;
};

const avgPoolGrad: IOKernel = (io, inputs, attrs) => {
  const input = inputs.input as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const dx = io.allocate(input.shape, 'float32');
  avgPoolGradInto(io.read(dy), poolGeometry(input.shape, attrs as unknown as PoolAttrs), dx.values);
  return dx.info;
};

/**
 * Installs the pooling gradients a backend needs: MaxPoolGrad on wasm (its own is wrong),
 * AvgPoolGrad on wasm and cpu (theirs miscount 'same' windows). Idempotent.
 */
export function registerPoolGradients(backendName: 'wasm' | 'cpu'): void {
  if (backendName === 'wasm') replaceKernel('MaxPoolGrad', backendName, maxPoolGrad);
  replaceKernel('AvgPoolGrad', backendName, avgPoolGrad);
}
