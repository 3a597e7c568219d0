// `kubesim-des validate SCENARIO`: `ok` and a one-line census, or every error (exit 2).

import { census } from '../../scenario/load.js';
import { loadOrExit, parseOverrides, preloadPolicies } from './common.js';

export async function validateCommand(args: { scenario: string; set?: string[] }): Promise<void> {
  const loaded = loadOrExit(args.scenario, parseOverrides(args.set));
  await preloadPolicies(loaded);
  const c = census(loaded.points[0]!.scenario);
  const points = loaded.points.length > 1 ? `, ${loaded.points.length} sweep points` : '';
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  process.stdout.write(
    `ok: ${loaded.name}: ${n(c.nodes, 'node')} in ${n(c.pools, 'pool')}, ${n(c.pods, 'pod')}, ` +
      `${n(c.workloads, 'workload')}, ${n(c.pdbs, 'PDB')}${points}\n`,
  );
}
