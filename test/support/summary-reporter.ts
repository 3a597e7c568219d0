// Prints the plain closing line CI reads: `tests: N passed, N failed`.
// vitest's own summary is not recognised by CI, so this reporter runs beside the default one.
import type { Reporter } from 'vitest/reporters';
import type { File, Task } from '@vitest/runner';

function count(tasks: Task[], acc: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.type === 'suite') {
      count(t.tasks, acc);
      // A suite that failed outside any test (e.g. an import error) counts as one failure.
      if (t.result?.state === 'fail' && t.tasks.length === 0) acc.failed++;
      continue;
    }
    const state = t.result?.state;
    if (state === 'pass') acc.passed++;
    else if (state === 'fail') acc.failed++;
    else acc.skipped++;
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = [], errors: unknown[] = []): void {
    const acc = { passed: 0, failed: 0, skipped: 0 };
    for (const f of files) {
      count(f.tasks, acc);
      if (f.result?.state === 'fail' && f.tasks.length === 0) acc.failed++;
    }
    acc.failed += errors.length;
    process.stdout.write(`\ntests: ${acc.passed} passed, ${acc.failed} failed\n`);
  }
}
