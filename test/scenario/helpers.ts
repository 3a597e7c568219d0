// Test helpers: YAML text -> positioned cursor, and load results -> formatted messages.
import { Cur, ReadContext } from '../../src/scenario/cursor.js';
import { Diagnostics } from '../../src/scenario/errors.js';
import { loadScenarioText, type LoadResult, type LoadedScenario, type Override } from '../../src/scenario/load.js';
import { parseYamlStream } from '../../src/scenario/positions.js';

/** The first document of `yaml` as a root cursor reporting into `diags`. */
export function cursorOf(yaml: string, file = 't.yaml'): { cur: Cur; diags: Diagnostics } {
  const diags = new Diagnostics();
  const docs = parseYamlStream(yaml, file, diags);
  if (docs === null || docs.length === 0) throw new Error(diags.errors().map((e) => e.format()).join('\n'));
  return { cur: Cur.root(new ReadContext(diags), docs[0]!.value, docs[0]!.pos), diags };
}

export const FIXTURES = 'test/fixtures/scenario';

/** Loads inline scenario text named `s.yaml`, manifests relative to the fixtures folder. */
export function load(text: string, overrides: Override[] = [], baseDir = FIXTURES): LoadResult {
  return loadScenarioText(text, 's.yaml', overrides, baseDir);
}

export function errorsOf(r: LoadResult): string[] {
  if (r.ok) throw new Error(`expected errors, loaded fine; warnings: ${r.loaded.warnings.join('\n')}`);
  return r.errors.map((e) => e.format());
}

export function loaded(r: LoadResult): LoadedScenario {
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.loaded;
}

/** A minimal valid scenario with `extra` appended under spec (indented by the caller, 2 spaces). */
export function scenario(extra: string, cluster = '  cluster:\n    nodePools:\n      - {name: general, count: 3, capacity: {cpu: "4", memory: 16Gi}}\n'): string {
  return `apiVersion: kubesim.dev/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  horizon: 1d\n${cluster}${extra}`;
}
