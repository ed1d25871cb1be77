// Compiles the native fused kernels (src/training/fused/native/*.c: AVX2 + FMA, Node-API in C)
// into dist/fused-kernels-native.node with the C compiler directly: one shared object, no
// node-gyp, nothing downloaded. The kernels are optional (src/training/fused/simd/module.ts falls
// back to the WebAssembly ones), so a machine that cannot build them (not x64, no C compiler, no
// Node headers) gets one line saying so and a successful build; `npm ci` never fails here.
// SEQMODEL_NATIVE_REQUIRED=1 turns a skip into an error, for CI machines that have the tools.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const NATIVE_OUT = 'dist/fused-kernels-native.node';
const SOURCE_DIR = 'src/training/fused/native';
/** Compiled without -mavx2: it checks the CPU before any kernel runs. */
const PORTABLE = ['addon.c'];

/** The directory holding node_api.h: npm's nodedir, else beside the running Node. */
function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(path.join(dir, 'node_api.h'))) ?? null;
}

function compilerWorks(cc) {
  const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

function skip(reason) {
  if (process.env.SEQMODEL_NATIVE_REQUIRED === '1') throw new Error(`native kernels: ${reason}`);
  console.log(`  native kernels skipped (${reason}): the WebAssembly kernels run instead`);
}

/**
 * What the build needs of this machine: { cc, headers }, or { missing: why not } (another
 * platform or CPU architecture, no Node headers, no C compiler).
 */
export function nativeToolchain() {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return { missing: `no build for ${process.platform}` };
  if (process.arch !== 'x64') return { missing: `AVX2 kernels need x64, this is ${process.arch}` };
  const headers = nodeHeaders();
  if (headers === null) return { missing: 'no Node headers (node_api.h); set npm config nodedir' };
  const cc = process.env.CC || 'cc';
  if (!compilerWorks(cc)) return { missing: `no C compiler (${cc})` };
  return { cc, headers };
}

export function buildNative() {
  const toolchain = nativeToolchain();
  if (toolchain.missing) return skip(toolchain.missing);
  const { cc, headers } = toolchain;
  const sources = readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.c')).sort();
  const inputs = readdirSync(SOURCE_DIR).map((f) => path.join(SOURCE_DIR, f));
  if (existsSync(NATIVE_OUT)) {
    const built = statSync(NATIVE_OUT).mtimeMs;
    if (inputs.every((f) => statSync(f).mtimeMs < built) && statSync(new URL(import.meta.url)).mtimeMs < built) {
      console.log(`  ${NATIVE_OUT} (up to date)`);
      return;
    }
  }
  mkdirSync('dist/native-obj', { recursive: true });
  const common = ['-std=gnu11', '-O3', '-fPIC', '-fvisibility=hidden', '-Wall', '-Wextra', '-I', headers];
  const objects = [];
  for (const file of sources) {
    const object = path.join('dist/native-obj', file.replace(/\.c$/, '.o'));
    const flags = PORTABLE.includes(file) ? common : [...common, '-mavx2', '-mfma'];
    const r = spawnSync(cc, [...flags, '-c', path.join(SOURCE_DIR, file), '-o', object], { encoding: 'utf8' });
    if (r.status !== 0) return skip(`${cc} failed on ${file}: ${(r.stderr || r.error?.message || '').split('\n').find((l) => l.includes('error')) ?? 'see its output'}`);
    objects.push(object);
  }
  // macOS resolves the Node-API symbols from the process at load time.
  const linkFlags = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared'];
  // Linked beside it, then renamed over it: a process that has the old one loaded (a bench, a
  // worker) keeps its file, where writing in place could crash it.
  const linked = `${NATIVE_OUT}.${process.pid}.tmp`;
  const r = spawnSync(cc, [...linkFlags, ...objects, '-o', linked], { encoding: 'utf8' });
  if (r.status !== 0) return skip(`linking failed: ${(r.stderr || '').split('\n')[0]}`);
  renameSync(linked, NATIVE_OUT);
  console.log(`  ${NATIVE_OUT}`);
}

if (import.meta.url === `file://${process.argv[1]}`) buildNative();
