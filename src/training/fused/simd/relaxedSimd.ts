// Whether this runtime runs WebAssembly relaxed SIMD, which the fused-multiply-add binary of
// the kernels needs (module.ts). Node 22+ and VS Code's Electron have it on by default; Node 20
// (V8 11.3) only with the V8 flag --experimental-wasm-relaxed-simd. V8 reads that flag when it
// validates a module, so setting it at run time, before the first relaxed module is compiled,
// is enough (and flags are process-wide: worker threads see it too). It is set only when the
// probe fails without it, and a runtime whose V8 does not know it (or a browser, where node:v8
// is a stub that throws) keeps the plain binary.
import { setFlagsFromString } from 'node:v8';

/** The smallest module with a relaxed-SIMD instruction: f32x4.relaxed_madd of three zero vectors, dropped. */
const PROBE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3e, 0x01, 0x3c, 0x00, // code section: one body of 60 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const 0, three times
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd
  0x1a, 0x0b, // drop, end
]);

const FLAG = '--experimental-wasm-relaxed-simd';

/**
 * The probe: validate, and again after setting the flag when that failed. `validate` and
 * `setFlags` replace WebAssembly.validate and v8.setFlagsFromString, for the tests.
 */
export function probeRelaxedSimd(
  validate: (bytes: Uint8Array<ArrayBuffer>) => boolean = (b) => WebAssembly.validate(b),
  setFlags: (flag: string) => void = setFlagsFromString,
): boolean {
  try {
    if (validate(PROBE)) return true;
    setFlags(FLAG);
    return validate(PROBE);
  } catch {
    return false;
  }
}

let supported: boolean | undefined;

/**
 * Whether this runtime runs relaxed SIMD, probed on the first call only: the answer cannot change
 * within a process (the flag, once set, stays), and choosing the binary and loading it both ask.
 */
export function relaxedSimdSupported(): boolean {
  supported ??= probeRelaxedSimd();
  return supported;
}
