// Prints the suite's totals as one "N passed, N failed, N skipped" line, read
// from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path || !existsSync(path)) {
  console.log(`no vitest report at ${path}`);
  process.exit(0);
}
const report = JSON.parse(readFileSync(path, 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
