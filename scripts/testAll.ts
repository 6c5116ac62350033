// `npm test`: every test the project has — vitest (unit, golden, invariant) then Playwright
// (end-to-end in Debian Chromium) — and `N skipped` and then one closing line `N passed, N failed`
// that CI reads. Exit code is non-zero when anything failed or a runner crashed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join(process.cwd(), 'test-results');
mkdirSync(OUT, { recursive: true });

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  crashed: boolean;
}

function runVitest(): Totals {
  const file = join(OUT, 'vitest.json');
  const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], {
    stdio: 'inherit',
  });
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0, crashed: true };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  // A suite that fails to load counts as one failure so it cannot hide.
  const failedSuites = (j.testResults ?? []).filter((s: { status: string; assertionResults: unknown[] }) => s.status === 'failed' && s.assertionResults.length === 0).length;
  return { passed: j.numPassedTests, failed: j.numFailedTests + failedSuites, skipped, crashed: r.status !== 0 && j.numFailedTests + failedSuites === 0 };
}

function hasE2e(): boolean {
  const dir = join(process.cwd(), 'tests', 'e2e');
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.spec.ts'));
}

function runPlaywright(): Totals {
  if (!hasE2e()) return { passed: 0, failed: 0, skipped: 0, crashed: false };
  const file = join(OUT, 'playwright.json');
  const r = spawnSync('npx', ['playwright', 'test', '--reporter=list,json'], {
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: file },
  });
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0, crashed: true };
  const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  const failed = (s.unexpected ?? 0) + (s.flaky ?? 0) * 0;
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed, skipped: s.skipped ?? 0, crashed: r.status !== 0 && failed === 0 };
}

const parts = [runVitest(), runPlaywright()];
const total = parts.reduce((a, b) => ({
  passed: a.passed + b.passed,
  failed: a.failed + b.failed + (b.crashed ? 1 : 0),
  skipped: a.skipped + b.skipped,
  crashed: false,
}), { passed: 0, failed: parts[0].crashed ? 1 : 0, skipped: 0, crashed: false });
// CI reads the last line, exactly `N passed, N failed`; skips are reported on the line before it.
console.log(`\n${total.skipped} skipped`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed > 0 ? 1 : 0;
