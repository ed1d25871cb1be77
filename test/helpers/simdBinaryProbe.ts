// Run in a child process by test/helpers/kernelBuilds.ts (probeBuild): prints which binary of the
// fused kernels this process loads by itself and the LSTM kernel name a run would report, so
// the test sees the choice a fresh worker makes under a given environment.
import { kernelImplementation } from '../../src/training/fused/sequence';
import { simdKernels } from '../../src/training/fused/simd/module';

console.log(JSON.stringify({ binary: simdKernels()?.binary ?? null, kernel: `lstm/${kernelImplementation('lstm', 'tanh', 'sigmoid')}` }));
