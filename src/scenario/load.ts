// Loading a scenario file: the public entry points of this folder.
//
//   text --parseYamlStream--> raw data + positions
//        --sweep axes, --set overrides--> one raw copy per sweep point
//        --validate.ts (JSON Schema)--> structural errors
//        --manifests.ts--> Kubernetes objects of `spec.manifests` (+ inline `spec.workloads`)
//        --convert.ts--> Scenario
//
// All problems of all points are collected, de-duplicated and returned together, each as
// `FILE:LINE:COL: message`. Override precedence: sweep values are applied first, then every
// `--set`. Paths are compared by the field they name in the scenario as written (resolveTarget:
// `workloads[0]` and `workloads[Deployment/web]` may be one object), so that no point is labelled
// with a value it did not run:
//   - a `--set` of an axis's field, or of a field containing it (`scheduler` for the axis
//     `scheduler.policy`), wins and removes that axis (one warning says so): `--set` pins a grid;
//   - a `--set` of a field inside an axis's field (`failures[0].mtbf` for the axis `failures[0]`)
//     would change every swept value behind its label: an error at the axis;
//   - two axes that overlap in either way: an error at the later one (readSweepAxes).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { convertScenario } from './convert.js';
import { Cur, isMap, ReadContext, type Map_ } from './cursor.js';
import { Diagnostics, ScenarioError } from './errors.js';
import { expandLists } from './kube/objects.js';
import { ManifestCache, readManifests, reason } from './manifests.js';
import type { Scenario, SourcePos } from './model.js';
import { applyAssignment, needsObjects, overlap, parseOverrideValue, parsePath, resolveTarget, type Assignment, type ObjectsAsWritten, type ParsedPath, type Target } from './overrides.js';
import { clonePositioned, parseYamlStream } from './positions.js';
import { gridPoints, paramString, readSweepAxes, toModelAxis, type Axis } from './sweep.js';
import { validateScenarioDocument } from './validate.js';

export { census, type Census } from './census.js';
export { ScenarioError } from './errors.js';
export { scenarioJsonSchema } from './schema.js';

/** One `--set PATH=VALUE` (VALUE is parsed as a YAML scalar). */
export interface Override {
  path: string;
  value: string;
  /** Names the override in messages when it is not a `--set` flag (e.g. compare's policy); default `--set PATH=VALUE`. */
  source?: string;
}

export interface ScenarioPoint {
  index: number;
  /** Swept path -> value as a string (empty without a sweep). */
  params: Record<string, string>;
  scenario: Scenario;
}

export interface LoadedScenario {
  name: string;
  file: string;
  /** The sweep axes' paths as written, in axis order (the columns of the output files). */
  sweepParamNames: string[];
  points: ScenarioPoint[];
  warnings: string[];
  /** The scenario file's text, then each manifest file's, for hashing. */
  sourceText: string;
  /** The `--set` overrides applied, in the order given (part of a run's identity: sweep/identity.ts). */
  overrides: Override[];
}

/** `warnings` is on both branches (on success it is `loaded.warnings`), so callers can print them first. */
export type LoadResult =
  | { ok: true; loaded: LoadedScenario; warnings: string[] }
  | { ok: false; errors: ScenarioError[]; warnings: string[] };

export function loadScenarioFile(file: string, overrides: Override[] = []): LoadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, errors: [new ScenarioError(file, 1, 1, `cannot read file: ${reason(e)}`)], warnings: [] };
  }
  return load(text, file, overrides, path.dirname(path.resolve(file)), path.dirname(file));
}

/**
 * Loads scenario text. Manifest paths are relative to `baseDir` (default: the folder of
 * `file`); messages name manifest files as `baseDir`/relative path.
 */
export function loadScenarioText(text: string, file: string, overrides: Override[] = [], baseDir?: string): LoadResult {
  if (baseDir === undefined) return load(text, file, overrides, path.dirname(path.resolve(file)), path.dirname(file));
  return load(text, file, overrides, path.resolve(baseDir), baseDir);
}

interface ParsedOverride {
  /** As given (the run's identity hashes it: src/sweep/identity.ts). */
  override: Override;
  /** How messages name it: `--set PATH=VALUE` or Override.source. */
  source: string;
  path: ParsedPath;
  value: unknown;
}

/**
 * The objects `workloads[...]` selects from in the scenario as written (before any sweep value
 * or --set), to resolve paths; each point reads its own and reports their problems.
 */
function objectsAsWritten(doc: unknown, pos: SourcePos, baseDir: string, displayDir: string): ObjectsAsWritten {
  const rc = new ReadContext(new Diagnostics());
  const spec = Cur.root(rc, doc, pos).child('spec');
  // A cache of its own: the load's cache lists the files the points read, for the scenario hash.
  const fromFiles = readManifests(spec.child('manifests'), baseDir, displayDir, new ManifestCache(), rc).map((c) => c.value).filter(isMap);
  const inline: Cur[] = [];
  for (const w of spec.child('workloads').list() ?? []) expandLists(w, inline);
  return { objects: [...fromFiles, ...inline.map((c) => c.value).filter(isMap)], fromFiles: fromFiles.length };
}

function fail(d: Diagnostics): LoadResult {
  return { ok: false, errors: d.errors(), warnings: d.warnings() };
}

function load(text: string, file: string, overrides: Override[], baseDir: string, displayDir: string): LoadResult {
  const all = new Diagnostics();
  const filePos: SourcePos = { file, line: 1, col: 1 };
  const docs = parseYamlStream(text, file, all);
  if (docs === null) return fail(all);
  const nonEmpty = docs.filter((doc) => doc.value !== null);
  if (nonEmpty.length === 0) {
    all.error(filePos, 'the file is empty: expected a document of kind Scenario (apiVersion: kubesim.dev/v1)');
    return fail(all);
  }
  if (nonEmpty.length > 1) {
    all.error(
      nonEmpty[1]!.pos,
      'a scenario file holds one YAML document (the Scenario); put Kubernetes manifests under spec.workloads or in files named by spec.manifests',
    );
  }
  const base = nonEmpty[0]!;
  const rc0 = new ReadContext(all);
  const baseRoot = Cur.root(rc0, base.value, base.pos);
  if (isMap(base.value) && typeof base.value.kind === 'string' && base.value.kind !== 'Scenario') {
    baseRoot.child('kind').error(`must be "Scenario", got ${JSON.stringify(base.value.kind)} (Kubernetes manifests go in files named by spec.manifests of a scenario)`);
    return fail(all);
  }

  // Sweep axes and overrides, checked once, against the scenario as written.
  const baseSpec = isMap(base.value) ? base.value.spec : undefined;
  let objects: ObjectsAsWritten | null = null;
  const resolve = (p: ParsedPath): Target => {
    if (needsObjects(p)) objects ??= objectsAsWritten(base.value, base.pos, baseDir, displayDir);
    return resolveTarget(p, baseSpec, objects);
  };
  let axes: Axis[] = readSweepAxes(baseRoot.child('spec').child('sweep'), resolve);
  const parsed: ParsedOverride[] = [];
  for (const o of overrides) {
    const source = o.source ?? `--set ${o.path}=${o.value}`;
    const p = parsePath(o.path);
    if (!p.ok) {
      all.error(filePos, `${source}: ${p.message}`);
      continue;
    }
    const first = p.path.segs[0]!;
    if (first.kind === 'key' && first.name === 'sweep') {
      all.error(filePos, `${source}: the sweep cannot be overridden; set one of its paths instead`);
      continue;
    }
    const target = resolve(p.path);
    axes = axes.filter((a) => {
      const how = overlap(target, a.target);
      if (how === 'same' || how === 'contains') {
        all.warn(a.cur.pos, `sweep axis ${a.path.text} is fixed by ${source}; the axis is dropped`);
        return false;
      }
      if (how === 'inside') {
        all.error(
          a.cur.pos,
          `${source} changes part of what sweep axis ${a.path.text} sets, so its points would not run the values their labels show; ` +
            `put the field in the axis's values, or pin the axis with --set ${a.path.text}=VALUE`,
        );
      }
      return true;
    });
    parsed.push({ override: o, source, path: p.path, value: parseOverrideValue(o.value) });
  }
  // Broken axes and overrides were left out: carry on, so the points report their own errors too.

  const cache = new ManifestCache();
  const modelAxes = axes.map(toModelAxis);
  const defaultName = path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  const points: ScenarioPoint[] = [];

  gridPoints(axes.map((a) => a.values.length)).forEach((choice, index) => {
    const pd = new Diagnostics();
    pd.registerFile(file);
    const rc = new ReadContext(pd);
    const raw = clonePositioned(base.value);
    const params: Record<string, string> = {};
    const assignments: Assignment[] = [];
    axes.forEach((a, k) => {
      const v = a.values[choice[k]!]!;
      params[a.path.text] = paramString(v.value);
      assignments.push({
        path: a.path,
        value: clonePositioned(v.value),
        valuePos: v.pos,
        note: `sweep ${a.path.text}=${paramString(v.value)}`,
        pathPos: a.cur.child('set').pos,
      });
    });
    for (const o of parsed) {
      assignments.push({ path: o.path, value: o.value, valuePos: null, note: o.source });
    }

    const spec = isMap(raw) && isMap(raw.spec) ? (raw.spec as Map_) : null;
    const apply = (a: Assignment, objects: Map_[] | null): void => {
      if (spec === null) {
        pd.error(filePos, `${a.note}: the scenario has no spec to override`);
        return;
      }
      const r = applyAssignment(a, spec, objects);
      if (!r.ok) pd.error(a.pathPos ?? r.pos ?? filePos, `${a.note}: ${r.message}`);
    };
    for (const a of assignments) if (!needsObjects(a.path)) apply(a, null);

    const root = Cur.root(rc, raw, base.pos);
    validateScenarioDocument(root);
    const specCur = root.child('spec');
    const objects = readManifests(specCur.child('manifests'), baseDir, displayDir, cache, rc);
    for (const w of specCur.child('workloads').list() ?? []) expandLists(w, objects);
    const objectValues = objects.map((o) => o.value).filter(isMap);
    for (const a of assignments) if (needsObjects(a.path)) apply(a, objectValues);

    const scenario = convertScenario({ root, objects, file, defaultName, sweep: modelAxes, baseDir });
    all.absorb(pd);
    if (scenario !== null && pd.errorCount === 0) {
      scenario.warnings = pd.warnings();
      points.push({ index, params, scenario });
    }
  });

  if (all.errorCount > 0) return fail(all);
  if (points.length === 0) {
    all.error(filePos, 'internal: the scenario produced no sweep point');
    return fail(all);
  }
  let sourceText = text;
  for (const [display, t] of cache.sources) sourceText += `\n# kubesim-des manifest: ${display}\n${t}`;
  const warnings = all.warnings();
  return {
    ok: true,
    loaded: {
      name: points[0]!.scenario.name, file, sweepParamNames: axes.map((a) => a.path.text), points, warnings, sourceText,
      overrides: parsed.map((o) => ({ ...o.override })),
    },
    warnings,
  };
}
