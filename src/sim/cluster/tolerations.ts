// Taints and tolerations with Kubernetes semantics: matching, the default tolerations a pod
// gets at creation, and the taint-eviction controller's toleration time.

import type { Taint, TaintEffect, Toleration } from '../../scenario/model.js';
import { TAINT_KEY_NOT_READY, TAINT_KEY_UNREACHABLE, TAINT_KEY_UNSCHEDULABLE } from './node-table.js';

// Well-known taint keys (k8s.io/api/core/v1 well_known_taints.go) not already in node-table.ts.
export const TAINT_KEY_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_KEY_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_KEY_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_KEY_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** kube: defaulttolerationseconds defaultNotReadyTolerationSeconds / defaultUnreachableTolerationSeconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * kube: v1.Toleration.ToleratesTaint. An empty effect matches every effect; an empty key
 * matches every key (with Exists: every taint); operator Equal compares values.
 */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  return toleratesTaintParts(tol, taint.key, taint.value, taint.effect);
}

/** `toleratesTaint` for a taint given by parts, so hot callers need no taint object. */
export function toleratesTaintParts(tol: Toleration, key: string, value: string, effect: TaintEffect): boolean {
  if (tol.effect !== '' && tol.effect !== effect) return false;
  if (tol.key !== '' && tol.key !== key) return false;
  switch (tol.operator) {
    case 'Equal':
      return tol.value === value;
    case 'Exists':
      return true;
    default:
      return false; // kube: unknown operators tolerate nothing
  }
}

/** kube: v1helper.TolerationsTolerateTaint: any toleration tolerates the taint. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (let i = 0; i < tolerations.length; i++) {
    if (toleratesTaint(tolerations[i]!, taint)) return true;
  }
  return false;
}

/** Same as `tolerationsTolerateTaint` for a taint given by parts (no object needed). */
export function tolerationsTolerate(
  tolerations: readonly Toleration[],
  key: string,
  value: string,
  effect: TaintEffect,
): boolean {
  for (let i = 0; i < tolerations.length; i++) {
    if (toleratesTaintParts(tolerations[i]!, key, value, effect)) return true;
  }
  return false;
}

/**
 * The tolerations a pod carries once created: for DaemonSet pods first
 * AddOrUpdateDaemonPodTolerations (the controller's template), then, for every pod, the
 * DefaultTolerationSeconds admission plugin. Returns a new array; the input is not modified.
 */
export function withDefaultTolerations(tolerations: readonly Toleration[], kind: 'pod' | 'daemonset'): Toleration[] {
  const base = kind === 'daemonset' ? addOrUpdateDaemonPodTolerations(tolerations) : tolerations;
  return admitDefaultTolerationSeconds(base);
}

/**
 * kube: plugin/pkg/admission/defaulttolerationseconds Plugin.Admit. Adds
 * `{not-ready, Exists, NoExecute, 300s}` unless some toleration has key not-ready or '' and
 * effect NoExecute or ''; the same for unreachable.
 */
export function admitDefaultTolerationSeconds(tolerations: readonly Toleration[]): Toleration[] {
  let notReady = false;
  let unreachable = false;
  for (const t of tolerations) {
    const noExecute = t.effect === 'NoExecute' || t.effect === '';
    if (noExecute && (t.key === TAINT_KEY_NOT_READY || t.key === '')) notReady = true;
    if (noExecute && (t.key === TAINT_KEY_UNREACHABLE || t.key === '')) unreachable = true;
  }
  const out = tolerations.slice();
  if (!notReady) out.push(existsToleration(TAINT_KEY_NOT_READY, 'NoExecute', DEFAULT_TOLERATION_SECONDS));
  if (!unreachable) out.push(existsToleration(TAINT_KEY_UNREACHABLE, 'NoExecute', DEFAULT_TOLERATION_SECONDS));
  return out;
}

/**
 * kube: pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations: not-ready and unreachable
 * NoExecute forever; disk-pressure, memory-pressure, pid-pressure, unschedulable NoSchedule.
 * (network-unavailable is added only for hostNetwork pods, which the scenario cannot express.)
 */
export function addOrUpdateDaemonPodTolerations(tolerations: readonly Toleration[]): Toleration[] {
  let out = tolerations.slice();
  out = addOrUpdateToleration(out, existsToleration(TAINT_KEY_NOT_READY, 'NoExecute', null));
  out = addOrUpdateToleration(out, existsToleration(TAINT_KEY_UNREACHABLE, 'NoExecute', null));
  out = addOrUpdateToleration(out, existsToleration(TAINT_KEY_DISK_PRESSURE, 'NoSchedule', null));
  out = addOrUpdateToleration(out, existsToleration(TAINT_KEY_MEMORY_PRESSURE, 'NoSchedule', null));
  out = addOrUpdateToleration(out, existsToleration(TAINT_KEY_PID_PRESSURE, 'NoSchedule', null));
  out = addOrUpdateToleration(out, existsToleration(TAINT_KEY_UNSCHEDULABLE, 'NoSchedule', null));
  return out;
}

/**
 * kube: v1helper.AddOrUpdateTolerationInPodSpec. Tolerations are identified by
 * (key, effect, operator, value) (v1.Toleration.MatchToleration); a matching one is replaced
 * in place unless it is already identical, otherwise the toleration is appended.
 */
function addOrUpdateToleration(tolerations: Toleration[], tol: Toleration): Toleration[] {
  const out: Toleration[] = [];
  let updated = false;
  for (const t of tolerations) {
    if (t.key === tol.key && t.effect === tol.effect && t.operator === tol.operator && t.value === tol.value) {
      if (t.tolerationSeconds === tol.tolerationSeconds) return tolerations;
      out.push(tol);
      updated = true;
      continue;
    }
    out.push(t);
  }
  if (!updated) out.push(tol);
  return out;
}

function existsToleration(key: string, effect: TaintEffect, tolerationSeconds: number | null): Toleration {
  return { key, operator: 'Exists', value: '', effect, tolerationSeconds };
}

/**
 * For the taint-eviction controller, one NoExecute taint with an empty value (the node
 * lifecycle controller's not-ready / unreachable taints): seconds until the pod must be
 * deleted. -1: not tolerated, delete now; Infinity: tolerated forever; otherwise >= 0
 * (0 means now). See `minTolerationSeconds`.
 */
export function noExecuteTolerationSeconds(tolerations: readonly Toleration[], taintKey: string): number {
  for (let i = 0; i < tolerations.length; i++) {
    const t = tolerations[i]!;
    // kube: GetMatchingTolerations takes the first toleration that tolerates each taint.
    if (toleratesTaintParts(t, taintKey, '', 'NoExecute')) {
      return tolerationTime(t.tolerationSeconds);
    }
  }
  return -1;
}

/**
 * kube: tainteviction processPodOnNode over all of a node's NoExecute taints.
 * GetMatchingTolerations picks, for each taint, the first toleration that tolerates it; if any
 * taint is untolerated the pod is deleted now (-1). Otherwise getMinTolerationTime takes the
 * minimum tolerationSeconds over those tolerations: a value <= 0 means now (0), none set means
 * forever (Infinity). No taints -> Infinity (nothing to evict for).
 */
export function minTolerationSeconds(tolerations: readonly Toleration[], noExecuteTaints: readonly Taint[]): number {
  let min = Infinity;
  for (const taint of noExecuteTaints) {
    let used: Toleration | null = null;
    for (const t of tolerations) {
      if (toleratesTaint(t, taint)) {
        used = t;
        break;
      }
    }
    if (used === null) return -1;
    const s = tolerationTime(used.tolerationSeconds);
    if (s < min) min = s;
  }
  return min;
}

function tolerationTime(tolerationSeconds: number | null): number {
  if (tolerationSeconds === null) return Infinity;
  return tolerationSeconds <= 0 ? 0 : tolerationSeconds;
}
