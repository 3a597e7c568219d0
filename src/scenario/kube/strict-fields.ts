// Strict field validation of the Kubernetes objects the simulator reads, as `kubectl apply` does
// by default (`--validate=strict`: server-side field validation, GA in v1.27). A field that the
// object's type does not have, at any depth, is an error named by its path in the object:
// `unknown field "spec.template.spec.containers[0].resources.request" in Deployment "web"`
// (kube: strict decoding error `unknown field "..."`, sigs.k8s.io/json UnmarshalStrict). The
// comparison is case-sensitive, as the API server's: `nodeselector` is unknown.
//
// Every field of the type is accepted, whether or not the simulator models it (probes, volumes,
// env, securityContext, status, metadata.managedFields ...), and so are the keys of free-form
// maps (labels, annotations, resource lists, managedFields[].fieldsV1). Values are not checked
// here: the readers check the values they use.
//
// The types come from field-table.ts, generated from the Kubernetes v1.34 OpenAPI spec.

import { isMap, type Cur } from '../cursor.js';
import type { PathSeg } from '../overrides.js';
import { didYouMean } from '../suggest.js';
import { KUBE_KINDS, KUBE_TYPES } from './field-table.js';
import type { KubeObject } from './meta.js';

/** The table's type for objects of `kind` at `apiVersion`, or null when the table does not describe them. */
function typeOf(kind: unknown, apiVersion: unknown): string | null {
  const k = typeof kind === 'string' ? KUBE_KINDS[kind] : undefined;
  return k !== undefined && k.apiVersion === apiVersion ? k.type : null;
}

/**
 * Reports every unknown field of `o`, at its key. Objects of kinds the table does not describe
 * are left alone. O(size of the object).
 */
export function checkObjectFields(o: KubeObject): void {
  const type = typeOf(o.kind, o.apiVersion);
  if (type !== null) walk(o.cur, type);
}

/** `c` against the encoded type `t` (see field-table.ts). A value of the wrong shape is left to the readers. */
function walk(c: Cur, t: string): void {
  if (t === '' || t === '*') return;
  if (t.startsWith('[]')) {
    const elem = t.slice(2);
    if (Array.isArray(c.value)) for (let i = 0; i < c.value.length; i++) walk(c.child(i), elem);
    return;
  }
  if (t.startsWith('{}')) {
    const elem = t.slice(2);
    if (elem !== '' && isMap(c.value)) for (const k of Object.keys(c.value)) walk(c.child(k), elem);
    return;
  }
  if (!isMap(c.value)) return;
  const fields = KUBE_TYPES[t]!;
  for (const k of Object.keys(c.value)) {
    const child = c.child(k);
    const ft = fields[k];
    if (ft === undefined) child.forceError(`unknown field ${JSON.stringify(child.path)} in ${c.subject}${didYouMean(k, Object.keys(fields))}`, true);
    else walk(child, ft);
  }
}

/**
 * Checks an override path below a manifest object of `kind` at `apiVersion` (the segments after
 * `workloads[...]`) against the object's type, so that `--set workloads[Deployment/web].spec.replica=6`
 * is refused instead of creating a field that changes nothing. Returns the problem, or null when
 * the path names a field of the type (or the table does not describe the kind). `subject` names
 * the object in messages: `Deployment "web"`.
 */
export function checkFieldPath(kind: unknown, apiVersion: unknown, subject: string, segs: readonly PathSeg[]): string | null {
  const root = typeOf(kind, apiVersion);
  if (root === null) return null;
  let t: string = root;
  let at = '';
  for (const seg of segs) {
    if (t === '*') return null;
    const sel = seg.kind === 'select';
    const name = sel ? seg.sel : seg.name;
    if (t.startsWith('[]')) {
      if (!sel) return `${JSON.stringify(at)} in ${subject} is a list; select an element with [NAME] or [INDEX]`;
      t = t.slice(2);
      at += `[${name}]`;
      continue;
    }
    const next = sel ? `${at}[${name}]` : at === '' ? name : `${at}.${name}`;
    if (t.startsWith('{}')) {
      t = t.slice(2);
      at = next;
      continue;
    }
    if (t === '') return `unknown field ${JSON.stringify(next)} in ${subject}: ${at} is a single value, it has no fields`;
    const fields: Readonly<Record<string, string>> = KUBE_TYPES[t]!;
    const ft: string | undefined = fields[name];
    if (ft === undefined) return `unknown field ${JSON.stringify(next)} in ${subject}${didYouMean(name, Object.keys(fields))}`;
    t = ft;
    at = next;
  }
  return null;
}
