// Kubernetes objects of a scenario (manifest files, inline workloads, cluster.nodes) ->
// workloads, PDBs, nodes and priority classes.
//
// Kinds are read as the API server would serve them; anything the simulator does not use is
// skipped with a warning, never an error, because users paste real manifests. Inside the kinds
// we read, a field that Kubernetes does not know is an error, as `kubectl apply` (strict field
// validation) makes it (strict-fields.ts); fields it knows that we do not model are accepted
// silently; wrong values in the fields we read are errors.

import type { Cur } from '../cursor.js';
import type { Diagnostics } from '../errors.js';
import type { PodDisruptionBudget, SourcePos } from '../model.js';
import { readLabels } from './labels.js';
import { identify, type KubeObject } from './meta.js';
import { readNode, type NodeDraft } from './node.js';
import { readHpa, type HpaDraft } from './hpa.js';
import { readPdb } from './pdb.js';
import type { PriorityTable } from './pod-template.js';
import { readPriorityClasses } from './priority-class.js';
import { checkObjectFields } from './strict-fields.js';
import { readWorkload, type WorkloadDraft } from './workloads.js';

/** The apiVersion each converted kind is served at (Kubernetes v1.34). */
export const SERVED: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Pod: 'v1',
  Service: 'v1',
  Node: 'v1',
  PodDisruptionBudget: 'policy/v1',
  PriorityClass: 'scheduling.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
};


/** A v1 Service: what `spec.traffic[].service` may name. */
export interface ServiceDraft {
  name: string;
  namespace: string;
  /** spec.selector (equality only); null when it has none (no managed endpoints). */
  selector: Record<string, string> | null;
  source: SourcePos;
}

export interface ConvertedObjects {
  workloads: WorkloadDraft[];
  pdbs: PodDisruptionBudget[];
  nodes: NodeDraft[];
  priorities: PriorityTable;
  services: ServiceDraft[];
  /** scaleTargetRef not yet resolved (convert.ts does it once workloads are known). */
  hpas: HpaDraft[];
}

/** Expands `kind: List` (kubectl's v1 List) into its items; drops empty documents. */
export function expandLists(c: Cur, out: Cur[]): void {
  if (c.missing) return;
  if (c.value !== null && typeof c.value === 'object' && !Array.isArray(c.value) && (c.value as Record<string, unknown>).kind === 'List') {
    for (const item of c.child('items').list() ?? []) expandLists(item, out);
    return;
  }
  out.push(c);
}

function at(p: SourcePos): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/**
 * Converts every object. `nodeOnly` objects (spec.cluster.nodes) must be Nodes. Objects come
 * in load order; the result keeps it.
 */
export function convertObjects(objects: Cur[], nodeOnly: Cur[], diags: Diagnostics): ConvertedObjects {
  const identified: KubeObject[] = [];
  for (const c of objects) {
    const o = identify(c);
    if (o !== undefined) identified.push(o);
  }
  const explicitNodes: KubeObject[] = [];
  for (const c of nodeOnly) {
    const o = identify(c);
    if (o === undefined) continue;
    if (o.kind !== 'Node') {
      o.cur.child('kind').error('spec.cluster.nodes holds v1 Node manifests only; put other objects under spec.workloads or spec.manifests');
      continue;
    }
    explicitNodes.push(o);
  }

  /** Is `o` of a kind we read, at its apiVersion? Then its unknown fields are reported too (called once per object). */
  const usable = (o: KubeObject): boolean => {
    const served = SERVED[o.kind];
    if (served === undefined) return false;
    if (o.apiVersion !== served) {
      o.cur.child('apiVersion').error(`${o.kind} is not served at ${JSON.stringify(o.apiVersion)} by Kubernetes v1.34; use ${served}`);
      return false;
    }
    checkObjectFields(o);
    // kube: ValidateObjectMeta -> ValidateLabels(metadata.labels), for every kind we read.
    readLabels(o.cur.child('metadata').child('labels'));
    return true;
  };

  // PriorityClasses first: pods may name a class defined in a later file.
  const priorities = readPriorityClasses(
    identified.filter((o) => o.kind === 'PriorityClass' && usable(o)),
    diags,
  );

  const out: ConvertedObjects = { workloads: [], pdbs: [], nodes: [], priorities, services: [], hpas: [] };
  const workloadSeen = new Map<string, KubeObject>();
  const pdbSeen = new Map<string, KubeObject>();
  const nodeSeen = new Map<string, KubeObject>();

  const addNode = (o: KubeObject): void => {
    const first = nodeSeen.get(o.name);
    if (first !== undefined) {
      o.cur.child('metadata').child('name').error(`Node ${JSON.stringify(o.name)} already exists (first defined at ${at(first.pos)})`);
      return;
    }
    nodeSeen.set(o.name, o);
    const n = readNode(o);
    if (n !== undefined) out.nodes.push(n);
  };
  for (const o of explicitNodes) if (usable(o)) addNode(o);

  for (const o of identified) {
    if (o.kind === 'PriorityClass') continue;
    if (SERVED[o.kind] === undefined) {
      o.cur.warn(`skipped: kind ${o.kind} (${o.apiVersion}) is not used by the simulator`);
      continue;
    }
    if (o.kind === 'HorizontalPodAutoscaler' && o.apiVersion === 'autoscaling/v1') {
      // Served by v1.34 too, but with the older targetCPUUtilizationPercentage shape.
      o.cur.child('apiVersion').warn('skipped: autoscaling/v1 HorizontalPodAutoscalers are not read; write it as autoscaling/v2 (metrics[].resource.target.averageUtilization)');
      continue;
    }
    if (!usable(o)) continue;
    switch (o.kind) {
      case 'HorizontalPodAutoscaler': {
        const h = readHpa(o);
        if (h !== undefined) out.hpas.push(h);
        break;
      }
      case 'Node':
        addNode(o);
        break;
      case 'Service': {
        // Only spec.selector matters here (traffic endpoints); ports, type, etc. are ignored.
        const sel = o.cur.child('spec').child('selector');
        // kube: ValidateService -> ValidateLabels(spec.selector).
        const selector = sel.missing ? null : readLabels(sel);
        out.services.push({ name: o.name, namespace: o.namespace, selector: selector !== null && Object.keys(selector).length > 0 ? selector : null, source: o.pos });
        break;
      }
      case 'PodDisruptionBudget': {
        const id = `${o.namespace}/${o.name}`;
        const first = pdbSeen.get(id);
        if (first !== undefined) {
          o.cur.child('metadata').child('name').error(`PodDisruptionBudget ${JSON.stringify(o.name)} already exists in namespace ${JSON.stringify(o.namespace)} (first defined at ${at(first.pos)})`);
          break;
        }
        pdbSeen.set(id, o);
        const p = readPdb(o);
        if (p !== undefined) out.pdbs.push(p);
        break;
      }
      default: {
        // Workload keys are KIND/NAME and must be unique in the scenario (outputs name the
        // subject by name), so the same name in two namespaces is refused too.
        const key = `${o.kind}/${o.name}`;
        const first = workloadSeen.get(key);
        if (first !== undefined) {
          o.cur.child('metadata').child('name').error(
            first.namespace === o.namespace
              ? `${o.kind} ${JSON.stringify(o.name)} already exists in namespace ${JSON.stringify(o.namespace)} (first defined at ${at(first.pos)})`
              : `${o.kind} ${JSON.stringify(o.name)} is also defined in namespace ${JSON.stringify(first.namespace)} (${at(first.pos)}); workload KIND/NAME keys must be unique in a scenario`,
          );
          break;
        }
        workloadSeen.set(key, o);
        const w = readWorkload(o, priorities);
        if (w !== undefined) out.workloads.push(w);
      }
    }
  }
  return out;
}
