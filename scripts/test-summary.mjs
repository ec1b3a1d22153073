// Prints the plain closing line CI reads: "N passed, N failed[, N skipped]", from vitest's JSON report.
// A typecheck failure (second argument non-zero) counts as one failed check.
import { existsSync, readFileSync } from 'node:fs';

const [file, priorStatus = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(priorStatus) !== 0 ? 1 : 0;
let skipped = 0;
if (file && existsSync(file)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A test file that failed to load has no tests in the counts: count it as a failure.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
} else {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
