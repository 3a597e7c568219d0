// `kubesim-des bench` flags are checked before anything runs: exit 2 and a message, as for the
// other commands' flags (yargs reads `--nodes abc` as NaN, which printed "NaN nodes", exit 0).
import { describe, expect, it } from 'vitest';
import { checkBenchFlags } from '../../src/cli/commands/bench.js';
import { UsageError } from '../../src/cli/errors.js';
import { runCli } from '../support/cli.js';

describe('bench flags', () => {
  it.each([
    [['--nodes', 'abc'], '--nodes: expected an integer >= 1 and <= 100000, got something that is not a number'],
    [['--nodes', '-5'], '--nodes: expected an integer >= 1 and <= 100000, got -5'],
    [['--nodes', '1e9'], '--nodes: expected an integer >= 1 and <= 100000, got 1000000000'],
    [['--runs', '0'], '--runs: expected an integer >= 1, got 0'],
    [['--pods', '2.5'], '--pods: expected an integer >= 1, got 2.5'],
    [['--days', '-1'], '--days: expected a number of days > 0, got -1'],
    [['--scheduler', '--nodes', '0'], '--nodes: expected an integer >= 1 and <= 100000, got 0'],
  ])('bench %j: exit 2 before running', (flags, message) => {
    const r = runCli(['bench', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`kubesim-des: ${message}\n`);
  });

  it('accepts the defaults and valid values', () => {
    expect(() => checkBenchFlags({ runs: 5, days: 30 })).not.toThrow();
    expect(() => checkBenchFlags({ runs: 1, nodes: 100000, pods: 1, days: 0.5 })).not.toThrow();
    expect(() => checkBenchFlags({ runs: 1, days: Number.NaN })).toThrow(UsageError);
  });
});
