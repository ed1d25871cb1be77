import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Runs every benchmark in bench/ (each a .ts file at the top level) in its own Node process,
// so one benchmark's heap and JIT state never colour another's figures.
// Arguments up to the first flag name benchmarks (by file name); the first flag and everything
// after it go to each benchmark run: npm run bench -- training --only simplernn --quick.

const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('--'));
const only = firstFlag < 0 ? args : args.slice(0, firstFlag);
const passed = firstFlag < 0 ? [] : args.slice(firstFlag);
const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(__dirname, file), ...passed], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${file} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exitCode = failed ? 1 : 0;
