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
