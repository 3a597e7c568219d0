// `kubesim-des validate SCENARIO`: `ok` and a one-line census, or every error (exit 2).

import { census } from '../../scenario/load.js';
import { loadOrExit, parseOverrides } from './common.js';

export function validateCommand(args: { scenario: string; set?: string[] }): void {
  const loaded = loadOrExit(args.scenario, parseOverrides(args.set));
  const c = census(loaded.points[0]!.scenario);
  const points = loaded.points.length > 1 ? `, ${loaded.points.length} sweep points` : '';
  process.stdout.write(
    `ok: ${loaded.name}: ${c.nodes} nodes in ${c.pools} pools, ${c.pods} pods, ${c.workloads} workloads, ${c.pdbs} PDBs${points}\n`,
  );
}
