// Which single-threaded implementation runs one recurrent kernel call: the whole sequence in
// WebAssembly where the module loads and has both activations (sequence.ts), else the
// TypeScript loops. One place, so the calling thread and the kernel thread (kernelThread.ts)
// pick the same implementation for the two halves of a batch (parallel.ts).
import { gruResetAfterForward, gruResetBeforeForward } from './gru';
import type { KernelForward, KernelInput, RecurrentKind } from './kernel';
import { lstmForward } from './lstm';
import { sequenceKernel } from './sequence';
import { simpleRnnForward } from './simple-rnn';

const TYPESCRIPT_KERNELS: Record<RecurrentKind, (input: KernelInput) => KernelForward> = {
  lstm: lstmForward,
  gru: gruResetBeforeForward,
  'gru-reset-after': gruResetAfterForward,
  'simple-rnn': simpleRnnForward,
};

/** The kernel this thread runs for `input` on its own. */
export function singleThreadKernel(kind: RecurrentKind, input: KernelInput): (input: KernelInput) => KernelForward {
  return sequenceKernel(kind, input) ?? typescriptKernel(kind);
}

/** The TypeScript kernel of a kind (its step products in WebAssembly when the module is enabled). */
export function typescriptKernel(kind: RecurrentKind): (input: KernelInput) => KernelForward {
  return TYPESCRIPT_KERNELS[kind];
}
