// Prints one closing line over every suite `npm test` ran: 'N passed, N failed'. Each suite's
// reporter appended its counts to test-artifacts/results.jsonl; `--reset` clears them first.
import { existsSync, readFileSync, rmSync } from 'node:fs';

const file = new URL('../test-artifacts/results.jsonl', import.meta.url);
if (process.argv.includes('--reset')) {
  rmSync(file, { force: true });
} else {
  const rows = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, pending: t.pending + r.pending }), { passed: 0, failed: 0, pending: 0 });
  console.log(`\nsuites: ${rows.map((r) => `${r.suite} ${r.passed}/${r.passed + r.failed}`).join(', ') || 'none'}`);
  for (const r of rows) for (const f of r.failures ?? []) console.log(`  ${f.retried ? 'failed once, then retried' : 'failed'} (${r.suite}): ${f.title}\n    ${f.error}`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.pending ? `, ${total.pending} skipped` : ''}`);
  if (rows.length === 0 || total.failed > 0) process.exitCode = 1;
}
