import { describe, expect, test } from 'vitest';
import { buildTasks, selectTaskList, selectTasks, TaskGrid, taskSlice, tasksFrom, type Task } from '../../src/sweep/tasks.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { replicationSeed } from '../../src/sim/random/streams.js';
import { chunkSize, effectiveWorkers, THREAD_WARMUP_MS, threadsPayOff } from '../../src/sweep/pool.js';
import { parseShardFile, headerLine, taskLine, encode, valuesBase64, valuesFromBase64 } from '../../src/sweep/shard-file.js';
import { parseSelection } from '../../src/cli/commands/run.js';
import { parseWorkers } from '../../src/cli/commands/common.js';
import { UsageError } from '../../src/cli/errors.js';

// 2 points x 5 replications, point-major.
const tasks: Task[] = Array.from({ length: 10 }, (_, i) => ({ index: i, point: Math.floor(i / 5), replication: i % 5, seed: 100 + i }));

describe('selectTasks', () => {
  test('a shard is the tasks whose index % N == I, in task order', () => {
    expect(selectTasks(tasks, { kind: 'shard', shard: { index: 1, count: 4 } }).map((t) => t.index)).toEqual([1, 5, 9]);
    expect(selectTasks(tasks, { kind: 'shard', shard: { index: 3, count: 4 } }).map((t) => t.index)).toEqual([3, 7]);
  });

  test('the N shards partition the task list', () => {
    const all = [0, 1, 2].flatMap((i) => selectTasks(tasks, { kind: 'shard', shard: { index: i, count: 3 } }).map((t) => t.index));
    expect(all.sort((a, b) => a - b)).toEqual(tasks.map((t) => t.index));
  });

  test('--only picks one task, or says which exist', () => {
    expect(selectTasks(tasks, { kind: 'only', point: 1, replication: 2 })).toEqual([tasks[7]]);
    expect(() => selectTasks(tasks, { kind: 'only', point: 2, replication: 0 })).toThrow(/no such task \(points 0\.\.1\)$/);
    expect(() => selectTasks(tasks, { kind: 'only', point: 1, replication: 5 })).toThrow(/no such task \(points 0\.\.1; point 1 has replications 0\.\.4\)$/);
  });
});

describe('TaskGrid (tasks computed on demand)', () => {
  const res = loadScenarioFile('scenarios/rollout-strategy.yaml');
  if (!res.ok) throw new Error('rollout-strategy.yaml does not load');
  const loaded = res.loaded;
  const grid = new TaskGrid(loaded, { replications: 7, seed: 99 });
  const list = (l: { length: number; at(i: number): Task }) => taskSlice(l, 0, l.length);

  test('point-major, index = position, seed = replicationSeed(seed, point, replication)', () => {
    const points = loaded.points.length;
    expect(points).toBeGreaterThan(1); // a sweep: several points
    expect(grid.length).toBe(7 * points);
    const want = Array.from({ length: 7 * points }, (_, i) => ({
      index: i, point: Math.floor(i / 7), replication: i % 7, seed: replicationSeed(99, Math.floor(i / 7), i % 7),
    }));
    expect(list(grid)).toEqual(want);
    expect(buildTasks(loaded, { replications: 7, seed: 99 })).toEqual(want);
    expect(() => grid.at(7 * points)).toThrow(RangeError);
  });

  test('shards, --only and a resumed remainder are views with the tasks of the array form', () => {
    const all = list(grid);
    for (const sel of [
      { kind: 'shard', shard: { index: 0, count: 3 } },
      { kind: 'shard', shard: { index: 2, count: 3 } },
      { kind: 'shard', shard: { index: 5, count: 6 } },
      { kind: 'only', point: 1, replication: 6 },
      { kind: 'all' },
    ] as const) {
      expect(list(selectTaskList(grid, sel))).toEqual(selectTasks(all, sel));
    }
    expect(() => selectTaskList(grid, { kind: 'only', point: 0, replication: 7 })).toThrow(/no such task \(points 0\.\.\d+; point 0 has replications 0\.\.6\)/);
    expect(list(tasksFrom(selectTaskList(grid, { kind: 'shard', shard: { index: 1, count: 2 } }), 2))).toEqual(
      selectTasks(all, { kind: 'shard', shard: { index: 1, count: 2 } }).slice(2),
    );
  });
});

describe('flags', () => {
  test('--shard I/N, --only P:R, and the Indexed Job environment', () => {
    expect(parseSelection(undefined, '2/4', {})).toEqual({ kind: 'shard', shard: { index: 2, count: 4 } });
    expect(parseSelection('1:3', undefined, {})).toEqual({ kind: 'only', point: 1, replication: 3 });
    expect(parseSelection(undefined, undefined, {})).toEqual({ kind: 'all' });
    expect(parseSelection(undefined, undefined, { JOB_COMPLETION_INDEX: '3', KUBESIM_SHARDS: '8' })).toEqual({ kind: 'shard', shard: { index: 3, count: 8 } });
    // --shard wins over the environment.
    expect(parseSelection(undefined, '0/2', { JOB_COMPLETION_INDEX: '3', KUBESIM_SHARDS: '8' })).toEqual({ kind: 'shard', shard: { index: 0, count: 2 } });
  });

  test.each([
    [undefined, '4/4', {}, /0 <= I < N/],
    [undefined, '1/0', {}, /0 <= I < N/],
    [undefined, 'a/b', {}, /expected I\/N/],
    ['1:2', '0/2', {}, /cannot be combined/],
    ['x', undefined, {}, /expected POINT:REPLICATION/],
    [undefined, undefined, { JOB_COMPLETION_INDEX: '1' }, /KUBESIM_SHARDS/],
    [undefined, undefined, { JOB_COMPLETION_INDEX: '9', KUBESIM_SHARDS: '4' }, /0 <= I < N/],
  ])('only=%s shard=%s env=%j is a UsageError', (only, shard, env, msg) => {
    expect(() => parseSelection(only, shard, env)).toThrow(UsageError);
    expect(() => parseSelection(only, shard, env)).toThrow(msg);
  });

  test('--workers', () => {
    expect(parseWorkers(3)).toBe(3);
    expect(parseWorkers(undefined)).toBe('auto');
    expect(() => parseWorkers(0)).toThrow(UsageError);
    expect(() => parseWorkers(1.5)).toThrow(UsageError);
  });
});

describe('the default --workers: do threads pay off?', () => {
  // Threads win when R > R / (0.95 T) + 1600 ms, i.e. R > 1600 / (1 - 1 / (0.95 T)):
  // T = 2: 1600 / (1 - 1/1.9) = 1600 / 0.47368 = 3377.8 ms; T = 16: 1600 / (1 - 1/15.2) = 1712.7 ms.
  test.each([
    [2, 3350, false],
    [2, 3400, true],
    [16, 1700, false],
    [16, 1725, true],
    [1, 1e9, false], // one core: never
  ])('%i threads, %i ms of remaining in-process work: %s', (threads, remainingMs, pays) => {
    expect(THREAD_WARMUP_MS).toBe(1600);
    expect(threadsPayOff(remainingMs, threads)).toBe(pays);
  });
});

describe('pool sizing', () => {
  test('threads are capped at the task count; chunks are total / (8 x threads) within [1, 128]', () => {
    expect(effectiveWorkers(16, 3)).toBe(3);
    expect(effectiveWorkers(4, 0)).toBe(1);
    expect(chunkSize(10, 4)).toBe(1); // floor(10 / 32) = 0 -> 1
    expect(chunkSize(400, 2)).toBe(25); // 400 / 16
    expect(chunkSize(100_000, 2)).toBe(128);
    expect(chunkSize(1000, 2)).toBe(62);
  });
});

describe('tasks.jsonl', () => {
  test('values round-trip exactly, NaN and infinities included; keys come once per point', () => {
    const values = Float64Array.from([0.1 + 0.2, NaN, Infinity, -Infinity, 1 / 3, 5e-324]);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((m) => ({ subjectKind: 'cluster', subject: 'cluster', metric: m }));
    const text =
      headerLine({ scenario: 's', scenarioHash: 'h', paramNames: [], pointParams: [[]], seed: 1, replications: 2, totalTasks: 4, shard: { index: 0, count: 2 } }) +
      taskLine({ index: 0, point: 0, replication: 0, seed: 7 }, 10, 0, keys, values) +
      taskLine({ index: 2, point: 0, replication: 2, seed: 8 }, 11, 5, null, values);
    const parsed = parseShardFile(text, 'x/tasks.jsonl');
    expect(parsed.header.shard).toEqual({ index: 0, count: 2 });
    expect(parsed.tasks.map((t) => [t.task, t.seed, t.events, t.traceChars])).toEqual([[0, 7, 10, 0], [2, 8, 11, 5]]);
    for (const t of parsed.tasks) {
      expect(Array.from(t.values)).toEqual(Array.from(values));
      expect(t.keys).toEqual(keys);
    }
  });

  test('taskLine writes exactly what JSON.stringify writes for the same line', () => {
    const values = Float64Array.from([0, -0, 1, -1.5, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, 5e-324, -Number.MAX_VALUE, NaN, Infinity, -Infinity]);
    const keys = [{ subjectKind: 'workload', subject: 'w "quoted" \\ ü', metric: 'availability' }];
    const task = { index: 12, point: 3, replication: 4, seed: 4294967295 };
    const json = (ts: number, k: typeof keys | null) => {
      const line: Record<string, unknown> = {
        task: 12, point: 3, replication: 4, seed: 4294967295, events: 987654321, traceChars: 17, values: Array.from(values, encode),
      };
      if (ts > 0) line.timeseriesChars = ts;
      if (k !== null) line.keys = k.map((x) => [x.subjectKind, x.subject, x.metric]);
      return `${JSON.stringify(line)}\n`;
    };
    expect(taskLine(task, 987654321, 17, null, values)).toBe(json(0, null));
    expect(taskLine(task, 987654321, 17, keys, values, 40)).toBe(json(40, keys));
    expect(taskLine(task, 987654321, 17, keys, new Float64Array(0))).toBe(json(0, keys).replace(/"values":\[[^\]]*\]/, '"values":[]'));
  });

  test('the resumable record\'s base64 values: exact for every double, -0 and NaN included, and read back by parseShardFile', () => {
    const values = Float64Array.from([0, -0, 0.1 + 0.2, NaN, Infinity, -Infinity, 5e-324, -Number.MAX_VALUE, 1 / 3]);
    // 1.0 is 00 00 00 00 00 00 f0 3f little-endian: base64 "AAAAAAAA8D8="
    expect(valuesBase64(Float64Array.of(1))).toBe('AAAAAAAA8D8=');
    expect(valuesBase64(values.subarray(2, 3))).toBe(Buffer.from(Float64Array.of(0.1 + 0.2).buffer).toString('base64'));
    const back = valuesFromBase64(valuesBase64(values), 'x');
    expect(Array.from(back)).toEqual(Array.from(values));
    expect(Object.is(back[1], -0)).toBe(true);
    expect(() => valuesFromBase64('AAAA', 'f:3')).toThrow(/f:3: expected base64 of 8-byte doubles, got 3 bytes/);

    const keys = Array.from(values, (_, i) => ({ subjectKind: 'cluster', subject: 'cluster', metric: `m${i}` }));
    const line = taskLine({ index: 1, point: 0, replication: 1, seed: 9 }, 5, 0, keys, values, 0, true);
    expect(line).toMatch(/^\{"task":1,"point":0,"replication":1,"seed":9,"events":5,"traceChars":0,"values64":"[A-Za-z0-9+/=]+","keys":/);
    const header = headerLine({ scenario: 's', scenarioHash: 'h', paramNames: [], pointParams: [[]], seed: 1, replications: 2, totalTasks: 2, shard: { index: 0, count: 1 } });
    const parsed = parseShardFile(header + line, 'p/tasks.jsonl');
    expect(Array.from(parsed.tasks[0]!.values)).toEqual(Array.from(values));
    expect(parsed.tasks[0]!.keys).toEqual(keys);
  });

  test('a file that is not a shard file is refused with its name', () => {
    expect(() => parseShardFile('{"format":"other"}\n', 'd/tasks.jsonl')).toThrow(/d\/tasks\.jsonl:1:1: expected a kubesim-des\/shard-tasks\/v1 header/);
  });

  test('a line that is not JSON is refused as FILE:LINE:COL, a file cut inside its last line said to be cut', () => {
    const header = headerLine({ scenario: 's', scenarioHash: 'h', paramNames: [], pointParams: [[]], seed: 1, replications: 3, totalTasks: 3, shard: { index: 0, count: 1 } });
    const keys = [{ subjectKind: 'cluster', subject: 'cluster', metric: 'm' }];
    const lines = [0, 1, 2].map((i) => taskLine({ index: i, point: 0, replication: i, seed: 9 + i }, 5, 0, i === 0 ? keys : null, Float64Array.of(i)));
    // Cut after 20 characters of line 3 (task 1): the JSON ends early, so the column is the line's end + 1.
    const cut = header + lines[0]! + lines[1]!.slice(0, 20);
    expect(() => parseShardFile(cut, 'd/tasks.jsonl')).toThrow(/^d\/tasks\.jsonl:3:21: expected a JSON object on this line: .*\(the file ends inside this line: cut short\?\)$/);
    // `{"task":1,"point":0,x`: V8 names position 20, column 21; a whole file after it, so not "cut".
    const bad = header + lines[0]! + lines[1]!.slice(0, 20) + 'x' + lines[1]!.slice(21) + lines[2]!;
    expect(() => parseShardFile(bad, 'd/tasks.jsonl')).toThrow(/^d\/tasks\.jsonl:3:21: expected a JSON object on this line: [^(]*$/);
    expect(() => parseShardFile(`${header.slice(0, 30)}`, 'h.jsonl')).toThrow(/^h\.jsonl:1:31: /);
  });
});
