// Kubernetes object identity: apiVersion, kind, metadata.name, metadata.namespace.

import type { Cur } from '../cursor.js';
import type { SourcePos } from '../model.js';

/** A Kubernetes object found in a manifest file or inline in the scenario. */
export interface KubeObject {
  /** The object, with messages naming it (`Deployment "web"`) and paths relative to it. */
  cur: Cur;
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace, default "default" (cluster-scoped kinds ignore it). */
  namespace: string;
  pos: SourcePos;
}

/** kube: IsDNS1123Subdomain (object names). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** kube: validation.DNS1123SubdomainMaxLength. */
export const DNS1123_SUBDOMAIN_MAX = 253;
/** kube: IsDNS1123Label (container names, node pool names). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** kube: validation.DNS1123LabelMaxLength. */
export const DNS1123_LABEL_MAX = 63;

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(s);
}

/** kube: validation.IsDNS1123Label, with its messages (empty when valid), the length first. */
export function dns1123LabelErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > DNS1123_LABEL_MAX) errs.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!DNS1123_LABEL.test(s)) {
    errs.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  }
  return errs;
}

/** kube: validation.IsDNS1123Subdomain, with its messages (empty when valid). */
export function dns1123SubdomainErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > DNS1123_SUBDOMAIN_MAX) errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!DNS1123_SUBDOMAIN.test(s)) {
    errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')");
  }
  return errs;
}

/** How messages name an object: `Deployment "web"`, or the kind alone without a name. */
export function objectSubject(kind: string, name: string | undefined): string {
  return name === undefined ? kind : `${kind} ${JSON.stringify(name)}`;
}

/**
 * Reads apiVersion, kind and metadata of a manifest object. Returns undefined (after
 * reporting) when the object cannot be identified.
 */
export function identify(c: Cur): KubeObject | undefined {
  if (c.entries() === undefined) return undefined;
  const kind = c.requireChild('kind').str();
  const apiVersion = c.requireChild('apiVersion').str();
  if (kind === undefined || apiVersion === undefined) return undefined;
  const meta = c.child('metadata');
  const nameCur = meta.child('name');
  const name = nameCur.str();
  const subject = objectSubject(kind, name);
  const cur = c.rebase(subject);
  const m = cur.child('metadata');
  if (name === undefined) {
    if (!nameCur.missing) return undefined; // wrong type, reported
    if (meta.has('generateName')) m.child('generateName').error('generateName is not supported; set metadata.name');
    else if (m.missing) cur.requireChild('metadata');
    else m.requireChild('name');
    return undefined;
  }
  if (!isDns1123Subdomain(name)) {
    m.child('name').error(
      `${JSON.stringify(name)} is not a valid name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    );
    return undefined;
  }
  const namespace = m.child('namespace').str() ?? 'default';
  return { cur, apiVersion, kind, name, namespace, pos: c.pos };
}
