// `kubesim-des merge DIR... --out DIR`: combines the folders of `run --shard I/N` into exactly
// the files one run would have written (see src/sweep/merge.ts), then prints the summary.

import { join } from 'node:path';
import { mergeShards, MergeError } from '../../sweep/merge.js';
import { renderJson, renderSummaryTable } from '../../output/table.js';
import { UsageError } from '../errors.js';
import { ensureOutDir } from './common.js';
import { toolVersion } from '../version.js';

export interface MergeArgs {
  dirs: string[];
  out: string;
  format: 'table' | 'json';
}

export async function mergeCommand(args: MergeArgs, argv: string[]): Promise<void> {
  if (args.dirs.length === 0) throw new UsageError('merge: name the shard folders to merge');
  ensureOutDir(args.out);
  let r;
  try {
    r = await mergeShards(args.dirs, args.out, argv, toolVersion());
  } catch (err) {
    if (err instanceof MergeError) throw new UsageError(`merge: ${err.message}`);
    throw err;
  }
  for (const w of r.warnings) process.stderr.write(`kubesim-des: ${w}\n`);
  if (args.format === 'json') {
    process.stdout.write(`${renderJson(r.summaryRows, { paramNames: r.paramNames })}\n`);
    return;
  }
  process.stdout.write(renderSummaryTable(r.summaryRows, { paramNames: r.paramNames }));
  process.stdout.write(`\nwrote ${join(args.out, 'metrics.csv')}, summary.csv, run.json${r.trace ? ', events.csv' : ''}${r.timeseries ? ', timeseries.csv' : ''}\n`);
}
