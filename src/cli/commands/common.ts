// Pieces shared by the commands: loading a scenario with --set overrides, printing errors.

import { loadScenarioFile, type LoadedScenario, type Override } from '../../scenario/load.js';
import { UsageError } from '../errors.js';

/** Parses `--set PATH=VALUE` flags. */
export function parseOverrides(sets: readonly string[] | undefined): Override[] {
  return (sets ?? []).map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set: expected PATH=VALUE, got "${s}"`);
    return { path: s.slice(0, eq).trim(), value: s.slice(eq + 1) };
  });
}

/** Loads a scenario; prints warnings; on invalid input prints every error and throws. */
export function loadOrExit(file: string, overrides: Override[]): LoadedScenario {
  const res = loadScenarioFile(file, overrides);
  for (const w of res.warnings) process.stderr.write(`${w}\n`);
  if (!res.ok) {
    throw new InvalidScenario(res.errors.map((e) => e.format()));
  }
  return res.loaded;
}

/** Invalid scenario: each line is FILE:LINE:COL: message. */
export class InvalidScenario extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}
