// The kernels this project puts in place of a backend's own, installed when the backend is
// chosen (backend.ts under Node, browserBackend.ts in the playground). Each file under kernels/
// says what tfjs got wrong or lacked.
import { registerPoolGradients } from './pool-gradients';
import { registerFastUnsortedSegmentSum } from './unsorted-segment-sum';

/** Installs the replacements for `backendName` (tfjs's name); other backends keep their own kernels. Idempotent. */
export function installKernelFixes(backendName: string): void {
  if (backendName !== 'wasm' && backendName !== 'cpu') return;
  // The Embedding gradient needs UnsortedSegmentSum: wasm lacks it, cpu's is O(vocab × n).
  registerFastUnsortedSegmentSum(backendName);
  // wasm's MaxPoolGrad drops the gradient of windows without a positive value; both backends'
  // AvgPoolGrad divides 'same' edge windows by pool_size instead of the steps they cover.
  registerPoolGradients(backendName);
}
