// Mocha's spec reporter, plus the plain closing line 'N passed, N failed' that CI reads,
// and a record of the counts so that `npm test` can print one total over all its suites.
'use strict';
const Mocha = require('mocha');
const fs = require('node:fs');
const path = require('node:path');

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let pending = 0;
    // The failing tests' titles and first error line go into the record too, so that the
    // closing summary names them: a CI log is often read from its tail only.
    const failures = [];
    // The browser suites retry a test once (a shared machine's timing); a test that passed
    // only on its retry is named in the summary, never hidden.
    runner.on(Mocha.Runner.constants.EVENT_TEST_RETRY, (test, err) => {
      failures.push({ title: test.fullTitle(), error: String((err && err.message) || err).split('\n')[0].slice(0, 300), retried: true });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, err) => {
      failed++;
      const earlier = failures.findIndex((f) => f.retried && f.title === test.fullTitle());
      if (earlier >= 0) failures.splice(earlier, 1);
      failures.push({ title: test.fullTitle(), error: String((err && err.message) || err).split('\n')[0].slice(0, 300) });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => pending++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const suite = process.env.SEQMODEL_SUITE || 'unit';
      console.log(`\n${suite}: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
      const dir = path.join(__dirname, '..', 'test-artifacts');
      fs.mkdirSync(dir, { recursive: true });
      fs.appendFileSync(path.join(dir, 'results.jsonl'), JSON.stringify({ suite, passed, failed, pending, failures }) + '\n');
    });
  }
}

module.exports = SpecWithTotals;
