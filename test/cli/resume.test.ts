// Ctrl-C and --resume: an interrupted run (the KUBESIM_TEST_INTERRUPT_AFTER hook sends the
// process a real SIGINT after K tasks) exits 130, writes no result file, keeps the finished
// tasks in <out>/.partial; --resume finishes it with the bytes of an uninterrupted run.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, JOB_COMPLETION_INDEX: '', KUBESIM_TEST_INTERRUPT_AFTER: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'kubesim-resume-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const partialTasks = (dir: string) => read(dir, '.partial/tasks.jsonl').split('\n').filter((l) => l !== '').length - 1;

describe('Ctrl-C and --resume', () => {
  for (const workers of ['1', '3']) {
    it(`--workers ${workers}: interrupted twice, resumed, byte-identical to one run (with --trace)`, () => {
      const base = ['run', 'scenarios/web-under-failures.yaml', '--replications', '24', '--quiet', '--trace', '--workers', workers];
      const full = tmp();
      expect(cli([...base, '--out', full]).code).toBe(0);

      const out = tmp();
      const a = cli([...base, '--out', out], { KUBESIM_TEST_INTERRUPT_AFTER: '5' });
      expect(a.code).toBe(130);
      expect(a.stderr).toMatch(/interrupted after \d+ of 24 tasks.*--resume/);
      for (const f of ['metrics.csv', 'summary.csv', 'run.json', 'events.csv']) expect(existsSync(join(out, f))).toBe(false);
      const first = partialTasks(out);
      expect(first).toBeGreaterThanOrEqual(5);
      expect(first).toBeLessThan(24);

      const b = cli([...base, '--out', out, '--resume'], { KUBESIM_TEST_INTERRUPT_AFTER: '2' });
      expect(b.code).toBe(130);
      expect(partialTasks(out)).toBeGreaterThanOrEqual(first + 2);

      const c = cli([...base, '--out', out, '--resume']);
      expect(c.code, c.stderr).toBe(0);
      for (const f of ['metrics.csv', 'summary.csv', 'events.csv']) expect(read(out, f)).toBe(read(full, f));
      const [rj, fj] = [JSON.parse(read(out, 'run.json')), JSON.parse(read(full, 'run.json'))];
      expect(rj.seeds).toEqual(fj.seeds);
      expect(rj.eventsProcessed).toBe(fj.eventsProcessed);
      expect(existsSync(join(out, '.partial'))).toBe(false);
    });
  }

  it('drops a last line cut short (a process killed mid-write) and runs that task again', () => {
    const base = ['run', 'scenarios/quickstart.yaml', '--replications', '8', '--quiet', '--workers', '1'];
    const full = tmp();
    expect(cli([...base, '--out', full]).code).toBe(0);
    const out = tmp();
    expect(cli([...base, '--out', out], { KUBESIM_TEST_INTERRUPT_AFTER: '3' }).code).toBe(130);
    const file = join(out, '.partial', 'tasks.jsonl');
    const kept = partialTasks(out);
    appendFileSync(file, '{"task":99,"point":0,"repl');
    expect(cli([...base, '--out', out, '--resume']).code).toBe(0);
    for (const f of ['metrics.csv', 'summary.csv']) expect(read(out, f)).toBe(read(full, f));
    expect(kept).toBeGreaterThanOrEqual(3);
  });

  it('resumes a shard, and the merged shards equal one run', () => {
    const base = ['run', 'scenarios/quickstart.yaml', '--replications', '9', '--quiet', '--workers', '1'];
    const full = tmp();
    expect(cli([...base, '--out', full]).code).toBe(0);
    const root = tmp();
    const dirs = [0, 1].map((i) => join(root, `shard-${i}`));
    expect(cli([...base, '--shard', '0/2', '--out', dirs[0]!], { KUBESIM_TEST_INTERRUPT_AFTER: '2' }).code).toBe(130);
    expect(existsSync(join(dirs[0]!, 'tasks.jsonl'))).toBe(false);
    expect(cli([...base, '--shard', '0/2', '--out', dirs[0]!, '--resume']).code).toBe(0);
    expect(cli([...base, '--shard', '1/2', '--out', dirs[1]!]).code).toBe(0);
    const merged = join(root, 'merged');
    expect(cli(['merge', ...dirs, '--out', merged]).code).toBe(0);
    for (const f of ['metrics.csv', 'summary.csv']) expect(read(merged, f)).toBe(read(full, f));
  });

  it('refuses to resume a record of another run (exit 2) and keeps it; --resume with nothing recorded runs everything', () => {
    const out = tmp();
    const base = ['run', 'scenarios/quickstart.yaml', '--quiet', '--workers', '1', '--out', out];
    expect(cli([...base, '--replications', '10'], { KUBESIM_TEST_INTERRUPT_AFTER: '3' }).code).toBe(130);
    const e = cli([...base, '--replications', '11', '--resume']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/--resume: .*recorded for another run.*10 replications.*expected.*11 replications/);
    expect(partialTasks(out)).toBeGreaterThanOrEqual(3);
    expect(cli([...base, '--replications', '10', '--resume']).code).toBe(0);

    const fresh = tmp();
    const r = cli(['run', 'scenarios/quickstart.yaml', '--quiet', '--replications', '4', '--out', fresh, '--resume']);
    expect(r.code).toBe(0);
    const plain = tmp();
    expect(cli(['run', 'scenarios/quickstart.yaml', '--quiet', '--replications', '4', '--out', plain]).code).toBe(0);
    expect(read(fresh, 'metrics.csv')).toBe(read(plain, 'metrics.csv'));
    expect(existsSync(join(fresh, '.partial'))).toBe(false);
  });
});
