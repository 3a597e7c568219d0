// autoscaling/v2 HorizontalPodAutoscaler -> HorizontalPodAutoscaler.
//
// kube: pkg/apis/autoscaling/v2/defaults.go — SetDefaults_HorizontalPodAutoscaler (minReplicas
// 1; no metrics = Resource cpu Utilization 80) and SetDefaults_HorizontalPodAutoscalerBehavior
// (GenerateHPAScaleUpRules: stabilization 0, selectPolicy Max, Pods 4 / 15 s and Percent 100 /
// 15 s; GenerateHPAScaleDownRules: stabilization unset = the controller's 300 s, selectPolicy
// Max, Percent 100 / 15 s; copyHPAScalingRules keeps every field the user set).
// Validation mirrors pkg/apis/autoscaling/validation ValidateHorizontalPodAutoscalerSpec:
// minReplicas >= 1 (HPAScaleToZero is alpha, off), maxReplicas >= 1 and >= minReplicas,
// averageUtilization > 0, stabilizationWindowSeconds 0..3600, policy value > 0 and
// periodSeconds 1..1800, at least one policy.
//
// Only a Resource cpu Utilization target is simulated (the traffic model yields CPU usage and
// nothing else): other metric types, other resources and AverageValue targets are errors, not
// warnings, because an HPA silently doing nothing would answer the user's question wrongly.

import type { Cur } from '../cursor.js';
import type { Diagnostics } from '../errors.js';
import type { HorizontalPodAutoscaler, HpaScalingPolicy, HpaScalingRules, SourcePos } from '../model.js';
import type { KubeObject } from './meta.js';
import type { WorkloadDraft } from './workloads.js';
import { CPU } from './resources.js';

/** Read from the manifest; scaleTargetRef is resolved once every workload is known. */
export interface HpaDraft extends Omit<HorizontalPodAutoscaler, 'target'> {
  targetKind: string;
  targetName: string;
  targetCur: Cur;
}

/** kube: autoscaling/v2 defaults.go, DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;
/** kube: --horizontal-pod-autoscaler-downscale-stabilization (used when scaleDown leaves it unset). */
export const DOWNSCALE_STABILIZATION_S = 300;

const SCALE_UP_DEFAULT: HpaScalingRules = {
  stabilizationWindowS: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodS: 15 },
    { type: 'Percent', value: 100, periodS: 15 },
  ],
};
const SCALE_DOWN_DEFAULT: HpaScalingRules = {
  stabilizationWindowS: DOWNSCALE_STABILIZATION_S,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodS: 15 }],
};

/** Kinds with a /scale subresource that the simulator can resize at run time. */
const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet'];

export function readHpa(o: KubeObject): HpaDraft | undefined {
  const spec = o.cur.requireChild('spec');
  if (spec.missing || spec.entries() === undefined) return undefined;
  const ref = spec.requireChild('scaleTargetRef');
  const targetKind = ref.requireChild('kind').str();
  const targetName = ref.requireChild('name').str();
  const minCur = spec.child('minReplicas');
  const minReplicas = minCur.missing ? 1 : minCur.int({ min: 1 });
  const maxCur = spec.requireChild('maxReplicas');
  const maxReplicas = maxCur.int({ min: 1 });
  if (minReplicas !== undefined && maxReplicas !== undefined && maxReplicas < minReplicas) maxCur.error(`must be greater than or equal to minReplicas (${minReplicas}), got ${maxReplicas}`);
  const targetUtilization = readMetrics(spec.child('metrics'));
  const behavior = readBehavior(spec.child('behavior'));
  if (targetKind === undefined || targetName === undefined || minReplicas === undefined || maxReplicas === undefined || maxReplicas < minReplicas) return undefined;
  if (targetUtilization === undefined || behavior === undefined) return undefined;
  return { name: o.name, namespace: o.namespace, targetKind, targetName, targetCur: ref, minReplicas, maxReplicas, targetUtilization, behavior, source: o.pos };
}

/** The CPU averageUtilization target, or undefined after reporting. */
function readMetrics(c: Cur): number | undefined {
  if (c.missing) return DEFAULT_CPU_UTILIZATION;
  const list = c.list();
  if (list === undefined) return undefined;
  if (list.length === 0) return DEFAULT_CPU_UTILIZATION;
  if (list.length > 1) {
    c.child(1).error('only one metric (Resource cpu Utilization) is simulated; remove the others');
    return undefined;
  }
  const m = list[0]!;
  const type = m.requireChild('type').str();
  if (type === undefined) return undefined;
  if (type !== 'Resource') {
    m.child('type').error(`metric type ${JSON.stringify(type)} is not simulated: the traffic model yields CPU usage only; use type Resource with name cpu`);
    return undefined;
  }
  const res = m.requireChild('resource');
  const name = res.requireChild('name').str();
  if (name === undefined) return undefined;
  if (name !== 'cpu') {
    res.child('name').error(`resource ${JSON.stringify(name)} is not simulated: the traffic model yields CPU usage only; use cpu`);
    return undefined;
  }
  const target = res.requireChild('target');
  const ttype = target.requireChild('type').str();
  if (ttype === undefined) return undefined;
  if (ttype !== 'Utilization') {
    target.child('type').error(`target type ${JSON.stringify(ttype)} is not simulated; use Utilization with averageUtilization`);
    return undefined;
  }
  return target.requireChild('averageUtilization').int({ min: 1 });
}

/** spec.behavior with defaults, null when absent, undefined after reporting. */
function readBehavior(c: Cur): HorizontalPodAutoscaler['behavior'] | undefined {
  if (c.missing) return null;
  if (c.entries() === undefined) return undefined;
  const scaleUp = readRules(c.child('scaleUp'), SCALE_UP_DEFAULT);
  const scaleDown = readRules(c.child('scaleDown'), SCALE_DOWN_DEFAULT);
  if (scaleUp === undefined || scaleDown === undefined) return undefined;
  return { scaleUp, scaleDown };
}

/** kube: copyHPAScalingRules — fields the user set replace the default's. */
function readRules(c: Cur, dflt: HpaScalingRules): HpaScalingRules | undefined {
  if (c.missing) return dflt;
  if (c.entries() === undefined) return undefined;
  const swCur = c.child('stabilizationWindowSeconds');
  const stabilizationWindowS = swCur.missing ? dflt.stabilizationWindowS : swCur.int({ min: 0, max: 3600 });
  const spCur = c.child('selectPolicy');
  const sp = spCur.str() ?? dflt.selectPolicy;
  let ok = stabilizationWindowS !== undefined;
  if (sp !== 'Max' && sp !== 'Min' && sp !== 'Disabled') {
    spCur.error(`unsupported value ${JSON.stringify(sp)}: supported values: "Disabled", "Max", "Min"`);
    ok = false;
  }
  let policies = dflt.policies;
  const pCur = c.child('policies');
  if (!pCur.missing) {
    const list = pCur.list();
    if (list === undefined) return undefined;
    if (list.length === 0) {
      pCur.error('must specify at least one Policy');
      return undefined;
    }
    const read: HpaScalingPolicy[] = [];
    for (const p of list) {
      const tCur = p.requireChild('type');
      const type = tCur.str();
      const value = p.requireChild('value').int({ min: 1 });
      const periodS = p.requireChild('periodSeconds').int({ min: 1, max: 1800 });
      if (type !== undefined && type !== 'Pods' && type !== 'Percent') {
        tCur.error(`unsupported value ${JSON.stringify(type)}: supported values: "Percent", "Pods"`);
        ok = false;
        continue;
      }
      if (type === undefined || value === undefined || periodS === undefined) {
        ok = false;
        continue;
      }
      read.push({ type, value, periodS });
    }
    policies = read;
  }
  if (!ok || stabilizationWindowS === undefined) return undefined;
  return { stabilizationWindowS, selectPolicy: sp as HpaScalingRules['selectPolicy'], policies };
}

/**
 * Resolves scaleTargetRef against the scenario's workloads (same namespace). Errors: a target
 * that does not exist, a kind the simulator cannot resize, pods without a CPU request (kube:
 * calculatePodRequests fails with "missing request for cpu" and the HPA never scales), two
 * HPAs on one workload (they would fight; upstream reports AmbiguousSelector).
 */
export function resolveHpas(drafts: HpaDraft[], workloads: WorkloadDraft[], diags: Diagnostics): HorizontalPodAutoscaler[] {
  const out: HorizontalPodAutoscaler[] = [];
  const taken = new Map<number, SourcePos>();
  for (const d of drafts) {
    const { targetKind, targetName, targetCur, ...rest } = d;
    const w = workloads.findIndex((x) => x.kind === targetKind && x.name === targetName && x.namespace === d.namespace);
    if (w < 0) {
      targetCur.error(`no ${targetKind} ${JSON.stringify(targetName)} in namespace ${JSON.stringify(d.namespace)} among the scenario's workloads`);
      continue;
    }
    if (!SCALABLE.includes(targetKind)) {
      targetCur.child('kind').error(`scaling a ${targetKind} is not simulated; the target must be a Deployment, a ReplicaSet or a StatefulSet`);
      continue;
    }
    const cpu = workloads[w]!.template.requests.get(CPU) ?? 0n;
    if (cpu <= 0n) {
      targetCur.error(`${targetKind} ${JSON.stringify(targetName)} requests no cpu: a Utilization target is a share of the request (the HPA would fail with "missing request for cpu")`);
      continue;
    }
    const first = taken.get(w);
    if (first !== undefined) {
      targetCur.error(`${targetKind} ${JSON.stringify(targetName)} is already scaled by the HorizontalPodAutoscaler at ${first.file}:${first.line}:${first.col}`);
      continue;
    }
    taken.set(w, d.source);
    out.push({ ...rest, target: w });
  }
  return out;
}
