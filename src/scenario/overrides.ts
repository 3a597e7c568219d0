// `--set PATH=VALUE` and sweep axes: paths into `spec`, applied to the raw data before the
// schema and conversion passes, so an override that yields a bad value is reported like any
// other value (with a note naming the override).
//
// Path grammar (a leading `spec.` is optional):
//   path    ::= segment ( '.' name | '[' selector ']' )*
//   segment ::= name | name '[' selector ']'
//   selector on a list: INDEX | KIND/NAME | NAME (matches `name`, `metadata.name`, `type` or `service`)
//   selector on a map:  a key, possibly quoted: capacity["nvidia.com/gpu"]
// `workloads[...]` addresses every Kubernetes object of the scenario: those of the
// `manifests:` files (in load order) followed by the inline `workloads:` ones.
//
// Two paths may name one field in different spellings (`workloads[0]` and
// `workloads[Deployment/web]`, `capacity.cpu` and `capacity[cpu]`): `resolveTarget` turns a path
// into the field it names in the scenario as written, and `overlap` compares two such targets.

import { parseDocument } from 'yaml';
import { isMap, type Map_ } from './cursor.js';
import { checkFieldPath } from './kube/strict-fields.js';
import { objectSubject } from './kube/meta.js';
import type { SourcePos } from './model.js';
import { containerPos, setChild } from './positions.js';

export type PathSeg = { kind: 'key'; name: string } | { kind: 'select'; sel: string };

export interface ParsedPath {
  /** As the user wrote it. */
  text: string;
  /** Without a leading `spec.`; selectors unquoted. */
  segs: PathSeg[];
}

export type PathResult = { ok: true; path: ParsedPath } | { ok: false; message: string };

export function parsePath(text: string): PathResult {
  const segs: PathSeg[] = [];
  let i = 0;
  const bad = (why: string): PathResult => ({ ok: false, message: `invalid path ${JSON.stringify(text)}: ${why}` });
  while (i < text.length) {
    const c = text[i]!;
    if (c === '[') {
      if (segs.length === 0) return bad('must start with a field name');
      const close = findClose(text, i);
      if (close < 0) return bad('unclosed [');
      let sel = text.slice(i + 1, close).trim();
      if (/^(".*"|'.*')$/.test(sel)) sel = sel.slice(1, -1);
      if (sel === '') return bad('empty []');
      segs.push({ kind: 'select', sel });
      i = close + 1;
      if (i < text.length && text[i] !== '.' && text[i] !== '[') return bad(`expected . or [ after ] at ${i + 1}`);
      if (text[i] === '.') {
        i++;
        if (i === text.length) return bad('ends with .');
      }
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    const name = text.slice(i, j);
    if (name === '') return bad(`empty field name at ${i + 1}`);
    segs.push({ kind: 'key', name });
    i = j;
    if (text[i] === '.') {
      i++;
      if (i === text.length) return bad('ends with .');
    }
  }
  if (segs.length === 0) return bad('empty');
  if (segs.length > 1 && segs[0]!.kind === 'key' && segs[0]!.name === 'spec') segs.shift();
  return { ok: true, path: { text, segs } };
}

function findClose(text: string, open: number): number {
  let quote: string | null = null;
  for (let k = open + 1; k < text.length; k++) {
    const c = text[k]!;
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ']') {
      return k;
    }
  }
  return -1;
}

/** `--set` values are YAML scalars (`6` -> 6, `true` -> true, `25%` -> "25%"); flow `[..]`/`{..}` too; '' and null unset. */
export function parseOverrideValue(raw: string): unknown {
  const t = raw.trim();
  if (t === '' || t === 'null' || t === '~') return null;
  const doc = parseDocument(raw);
  if (doc.errors.length > 0) return raw;
  const v: unknown = doc.toJS();
  if (v === null || v === undefined) return raw; // e.g. "#x" parses as a comment
  if (typeof v === 'object') return /^[[{]/.test(t) ? v : raw;
  return v;
}

/** Is this path resolved against the manifest objects (so after the manifests are read)? */
export function needsObjects(p: ParsedPath): boolean {
  return p.segs.length > 1 && p.segs[0]!.kind === 'key' && p.segs[0]!.name === 'workloads' && p.segs[1]!.kind === 'select';
}

export interface Assignment {
  path: ParsedPath;
  /** The value to store; null removes the field (its default applies). */
  value: unknown;
  /** Position of the value in the file (sweep values), or null (`--set`). */
  valuePos: SourcePos | null;
  /** Names the override in messages: `--set a=b` or `sweep a=b`. */
  note: string;
  /** Where the path was written (a sweep axis's `set:`), for path errors; null for `--set`. */
  pathPos?: SourcePos | null;
}

export type ApplyResult = { ok: true } | { ok: false; message: string; pos: SourcePos | null };

/** Workload kinds, preferred when a bare NAME matches several objects. */
const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

function describe(el: unknown, i: number): string {
  if (isMap(el)) {
    const meta = el.metadata;
    const name = isMap(meta) && typeof meta.name === 'string' ? meta.name : typeof el.name === 'string' ? el.name : typeof el.service === 'string' ? el.service : null;
    if (name !== null) return typeof el.kind === 'string' ? `${el.kind}/${name}` : name;
    if (typeof el.type === 'string') return `${i} (${el.type})`;
  }
  return String(i);
}

function selectIndex(list: unknown[], sel: string, preferWorkloads: boolean): { ok: true; index: number } | { ok: false; message: string } {
  if (/^\d+$/.test(sel)) {
    const i = Number(sel);
    if (i >= list.length) return { ok: false, message: `index ${i} is out of range (the list has ${list.length} item${list.length === 1 ? '' : 's'})` };
    return { ok: true, index: i };
  }
  const slash = sel.indexOf('/');
  let matches: number[];
  if (slash >= 0) {
    const kind = sel.slice(0, slash);
    const name = sel.slice(slash + 1);
    matches = list.flatMap((el, i) => (isMap(el) && el.kind === kind && isMap(el.metadata) && el.metadata.name === name ? [i] : []));
  } else {
    matches = list.flatMap((el, i) =>
      isMap(el) && (el.name === sel || (isMap(el.metadata) && el.metadata.name === sel) || el.type === sel || el.service === sel) ? [i] : [],
    );
    if (matches.length > 1 && preferWorkloads) {
      const w = matches.filter((i) => WORKLOAD_KINDS.has(String((list[i] as Map_).kind)));
      if (w.length === 1) matches = w;
    }
  }
  if (matches.length === 1) return { ok: true, index: matches[0]! };
  const have = list.slice(0, 12).map(describe).join(', ') + (list.length > 12 ? ', ...' : '');
  if (matches.length === 0) return { ok: false, message: `no element [${sel}]${list.length > 0 ? ` (have: ${have})` : ' (the list is empty)'}` };
  return { ok: false, message: `[${sel}] is ambiguous: it matches ${matches.map((i) => describe(list[i], i)).join(', ')}; use [KIND/NAME] or [INDEX]` };
}

/**
 * The field a path names, one step per segment: `.KEY` for a map key (`a.b`, `a[b]` and
 * `a["b"]` alike), `#I` for a list element (by index, name or KIND/NAME alike), and `[SEL]`, the
 * selector as written, where the scenario cannot resolve it (an error at every point, or a list
 * that an earlier assignment creates). A `workloads[...]` path starts with the object it
 * selects: `@workloads` `#I` for the I-th object of the manifest files, `.workloads` `#I` for an
 * inline one, so that the inline list `workloads` contains the inline objects only.
 */
export type Target = readonly string[];

/** What `workloads[...]` selects from, as written: the manifest files' objects (`fromFiles` of them), then the inline ones. */
export interface ObjectsAsWritten {
  objects: readonly Map_[];
  fromFiles: number;
}

/**
 * Resolves `p` against the scenario as written (`spec` and its objects, before any sweep value or
 * --set), with the selection rules of `applyAssignment`. O(path length x list length).
 */
export function resolveTarget(p: ParsedPath, spec: unknown, objects: ObjectsAsWritten | null): Target {
  const segs = p.segs;
  const out: string[] = [];
  let node: unknown = spec;
  let i = 0;
  if (needsObjects(p)) {
    const sel = (segs[1] as { sel: string }).sel;
    const r = objects === null ? null : selectIndex(objects.objects as unknown[], sel, true);
    if (objects !== null && r !== null && r.ok) {
      out.push(r.index < objects.fromFiles ? '@workloads' : '.workloads', `#${r.index}`);
      node = objects.objects[r.index];
    } else {
      out.push('@workloads', `[${sel}]`);
      node = undefined;
    }
    i = 2;
  }
  for (; i < segs.length; i++) {
    const seg = segs[i]!;
    if (Array.isArray(node)) {
      const r = seg.kind === 'select' ? selectIndex(node, seg.sel, false) : null;
      if (r !== null && r.ok) {
        out.push(`#${r.index}`);
        node = node[r.index];
        continue;
      }
    } else if (seg.kind === 'key' || isMap(node)) {
      const key = seg.kind === 'key' ? seg.name : seg.sel;
      out.push(`.${key}`);
      node = isMap(node) ? node[key] : undefined;
      continue;
    }
    out.push(seg.kind === 'key' ? `.${seg.name}` : `[${seg.sel}]`);
    node = undefined;
  }
  return out;
}

/**
 * How target `a` relates to target `b`: the same field, `a` contains `b` (setting `a` replaces
 * `b`), `a` is inside `b` (setting `a` changes part of `b`), or neither.
 */
export function overlap(a: Target, b: Target): 'same' | 'contains' | 'inside' | null {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return null;
  return a.length === b.length ? 'same' : a.length < b.length ? 'contains' : 'inside';
}

/** `cluster.nodes[SEL]...`: a path into an explicit Node manifest. */
function isNodeManifestPath(p: ParsedPath): boolean {
  const [a, b, c] = p.segs;
  return a?.kind === 'key' && a.name === 'cluster' && b?.kind === 'key' && b.name === 'nodes' && c?.kind === 'select';
}

/** How messages name a manifest object as written: `Deployment "web"`. */
function subjectOf(o: Map_): string {
  const name = isMap(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : undefined;
  return objectSubject(typeof o.kind === 'string' ? o.kind : 'object', name);
}

/**
 * Applies one assignment below `spec`. `objects` is the list `workloads[...]` selects from
 * (manifest objects then inline workloads), or null before the manifests are read. A path into
 * a manifest object must name a field of its Kubernetes type (kube/strict-fields.ts): that is
 * checked before anything is changed, since a missing field would be created and change nothing.
 */
export function applyAssignment(a: Assignment, spec: Map_, objects: Map_[] | null): ApplyResult {
  const segs = a.path.segs;
  let container: Map_ | unknown[] = spec;
  let where = 'spec';
  const fail = (message: string): ApplyResult => ({ ok: false, message, pos: containerPos(container) });
  let i = 0;
  if (needsObjects(a.path)) {
    if (objects === null) return fail('internal: workloads[...] resolved before the manifests were read');
    const sel = (segs[1] as { sel: string }).sel;
    const r = selectIndex(objects, sel, true);
    if (!r.ok) return { ok: false, message: `workloads: ${r.message}`, pos: containerPos(spec) };
    if (segs.length === 2) return fail(`cannot replace a whole manifest object; set one of its fields, e.g. workloads[${sel}].spec.replicas`);
    container = objects[r.index]!;
    const bad = checkFieldPath(container.kind, container.apiVersion, subjectOf(container), segs.slice(2));
    if (bad !== null) return fail(bad);
    where = `workloads[${sel}]`;
    i = 2;
  } else if (isNodeManifestPath(a.path)) {
    // spec.cluster.nodes[SEL]...: a v1 Node manifest (an element that does not resolve is reported below).
    const nodes = isMap(spec.cluster) ? spec.cluster.nodes : undefined;
    const r = Array.isArray(nodes) ? selectIndex(nodes, (segs[2] as { sel: string }).sel, false) : null;
    const node: unknown = Array.isArray(nodes) && r !== null && r.ok ? nodes[r.index] : undefined;
    if (isMap(node) && segs.length > 3) {
      const bad = checkFieldPath(node.kind, node.apiVersion, subjectOf(node), segs.slice(3));
      if (bad !== null) return { ok: false, message: bad, pos: containerPos(node) };
    }
  }
  for (; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    let key: string | number;
    if (Array.isArray(container)) {
      if (seg.kind === 'key') return fail(`${where} is a list; select an element with [KIND/NAME], [NAME] or [INDEX]`);
      const r = selectIndex(container, seg.sel, false);
      if (!r.ok) return fail(`${where}: ${r.message}`);
      key = r.index;
    } else {
      key = seg.kind === 'key' ? seg.name : seg.sel;
    }
    const label = seg.kind === 'key' ? `${where}.${seg.name}` : `${where}[${seg.sel}]`;
    if (last) {
      if (a.value === null && !Array.isArray(container)) {
        delete container[key as string];
      } else {
        setChild(container, key, a.value, a.valuePos, a.note);
      }
      return { ok: true };
    }
    let next: unknown = Array.isArray(container) ? container[key as number] : container[key as string];
    if (next === undefined || next === null) {
      if (segs[i + 1]!.kind === 'select') return fail(`${label} does not exist`);
      next = {};
      setChild(container, key, next, null, a.note);
    }
    if (typeof next !== 'object' || next === null) return fail(`${label} is ${JSON.stringify(next)}, not a map or a list`);
    container = next as Map_ | unknown[];
    where = label;
  }
  return { ok: true };
}
