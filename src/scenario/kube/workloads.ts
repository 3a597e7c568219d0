// apps/v1 Deployment, ReplicaSet, DaemonSet, StatefulSet, batch/v1 Job and CronJob (cronjob.ts)
// and v1 Pod -> workload drafts.
//
// Defaults (kube: pkg/apis/apps/v1/defaults.go): replicas 1 (SetDefaults_Deployment,
// SetDefaults_ReplicaSet); Deployment strategy RollingUpdate with maxSurge 25% and
// maxUnavailable 25% (SetDefaults_Deployment); DaemonSet updateStrategy RollingUpdate with
// maxUnavailable 1 and maxSurge 0 (SetDefaults_DaemonSet); minReadySeconds 0.
// Validation (kube: pkg/apis/apps/validation): replicas >= 0, a non-empty selector that
// matches the template labels, and the rolling-update fenceposts.

import type { Cur } from '../cursor.js';
import type { IntOrPercent, LabelSelector, RollingUpdateStrategy, StatefulSetSpec, Workload, WorkloadKind } from '../model.js';
import { DEFAULT_STATEFULSET_UPDATE } from '../model.js';
import { readLabelSelector, selectorIsEmpty, selectorMatches } from './labels.js';
import type { KubeObject } from './meta.js';
import { readPodTemplate, type PriorityTable, type TemplateDraft } from './pod-template.js';
import { readCronJob } from './cronjob.js';

/** A Workload before resource dimensions, behavior rules and SLOs are resolved. */
export interface WorkloadDraft extends Omit<Workload, 'template' | 'behavior' | 'minReady'> {
  template: TemplateDraft;
}

const INT32_MAX = 2147483647;
const PCT_25: IntOrPercent = { kind: 'percent', value: 25 };

/**
 * Deployments' default strategy (kube: SetDefaults_Deployment). ReplicaSets and bare Pods have
 * no strategy; they carry this one too, and nothing reads it for them.
 */
export const DEFAULT_DEPLOYMENT_STRATEGY: RollingUpdateStrategy = { type: 'RollingUpdate', maxSurge: PCT_25, maxUnavailable: PCT_25 };

function isZero(v: IntOrPercent): boolean {
  return v.value === 0;
}

/** kube: ValidateDeploymentStrategy / ValidateRollingUpdateDeployment. */
function readDeploymentStrategy(c: Cur): RollingUpdateStrategy {
  if (c.missing || c.entries() === undefined) return DEFAULT_DEPLOYMENT_STRATEGY;
  const typeCur = c.child('type');
  const type = typeCur.str() ?? 'RollingUpdate';
  const ru = c.child('rollingUpdate');
  if (type === 'Recreate') {
    if (!ru.missing) ru.error("may not be specified when strategy `type` is 'Recreate'");
    // No rolling-update parameters exist for Recreate; zeros keep the type total.
    return { type: 'Recreate', maxSurge: { kind: 'int', value: 0 }, maxUnavailable: { kind: 'int', value: 0 } };
  }
  if (type !== 'RollingUpdate') {
    typeCur.error(`unsupported value ${JSON.stringify(type)}: supported values: "Recreate", "RollingUpdate"`);
    return DEFAULT_DEPLOYMENT_STRATEGY;
  }
  if (ru.missing || ru.entries() === undefined) return DEFAULT_DEPLOYMENT_STRATEGY;
  const maxSurge = ru.child('maxSurge').intOrPercent() ?? PCT_25;
  const maxUnavailable = ru.child('maxUnavailable').intOrPercent({ max100: true }) ?? PCT_25;
  if (isZero(maxSurge) && isZero(maxUnavailable)) ru.child('maxUnavailable').error('may not be 0 when `maxSurge` is 0');
  return { type: 'RollingUpdate', maxSurge, maxUnavailable };
}

/** kube: SetDefaults_DaemonSet + ValidateRollingUpdateDaemonSet. */
function readDaemonSetStrategy(c: Cur): RollingUpdateStrategy {
  const dflt: RollingUpdateStrategy = { type: 'RollingUpdate', maxSurge: { kind: 'int', value: 0 }, maxUnavailable: { kind: 'int', value: 1 } };
  if (c.missing || c.entries() === undefined) return dflt;
  const typeCur = c.child('type');
  const type = typeCur.str() ?? 'RollingUpdate';
  if (type === 'OnDelete') {
    const ru = c.child('rollingUpdate');
    if (!ru.missing) ru.error("may not be specified when strategy `type` is 'OnDelete'");
    return { ...dflt, type: 'OnDelete' };
  }
  if (type !== 'RollingUpdate') {
    typeCur.error(`unsupported value ${JSON.stringify(type)}: supported values: "OnDelete", "RollingUpdate"`);
    return dflt;
  }
  const ru = c.child('rollingUpdate');
  if (ru.missing || ru.entries() === undefined) return dflt;
  const maxSurge = ru.child('maxSurge').intOrPercent({ max100: true }) ?? dflt.maxSurge;
  const maxUnavailable = ru.child('maxUnavailable').intOrPercent({ max100: true }) ?? dflt.maxUnavailable;
  if (isZero(maxSurge) && isZero(maxUnavailable)) ru.child('maxUnavailable').error('cannot be 0 when maxSurge is 0');
  return { type: 'RollingUpdate', maxSurge, maxUnavailable };
}

/**
 * kube: SetDefaults_StatefulSet — updateStrategy RollingUpdate with partition 0 (and
 * maxUnavailable 1, MaxUnavailableStatefulSet); ValidateStatefulSetUpdateStrategy: partition
 * >= 0, maxUnavailable >= 1 (or a non-zero percentage), rollingUpdate only with RollingUpdate.
 */
function readStatefulSetUpdateStrategy(c: Cur): StatefulSetSpec['updateStrategy'] | undefined {
  if (c.missing || c.entries() === undefined) return DEFAULT_STATEFULSET_UPDATE;
  const typeCur = c.child('type');
  const type = typeCur.str() ?? 'RollingUpdate';
  const ru = c.child('rollingUpdate');
  if (type === 'OnDelete') {
    if (!ru.missing) ru.error("only allowed for updateStrategy 'RollingUpdate'");
    return { ...DEFAULT_STATEFULSET_UPDATE, type: 'OnDelete' };
  }
  if (type !== 'RollingUpdate') {
    typeCur.error(`unsupported value ${JSON.stringify(type)}: supported values: "OnDelete", "RollingUpdate"`);
    return undefined;
  }
  if (ru.missing || ru.entries() === undefined) return DEFAULT_STATEFULSET_UPDATE;
  const partition = ru.child('partition').int({ min: 0, max: INT32_MAX }) ?? 0;
  const muCur = ru.child('maxUnavailable');
  const maxUnavailable = muCur.intOrPercent({ max100: true }) ?? DEFAULT_STATEFULSET_UPDATE.maxUnavailable;
  if (maxUnavailable.value === 0) muCur.error('must be greater than 0');
  return { type: 'RollingUpdate', partition, maxUnavailable };
}

/** spec.selector: required, non-empty, and it must select the template's labels. */
function readControllerSelector(spec: Cur, kind: string, template: TemplateDraft | undefined): LabelSelector | undefined {
  const selCur = spec.requireChild('selector');
  const selector = readLabelSelector(selCur);
  if (selector === undefined) return undefined;
  if (selectorIsEmpty(selector)) {
    selCur.error(`empty selector is invalid for ${kind.toLowerCase()}`);
    return undefined;
  }
  if (template !== undefined && !selectorMatches(selector, template.labels)) {
    spec.child('template').child('metadata').child('labels').error('`selector` does not match template `labels`');
    return undefined;
  }
  return selector;
}

/**
 * The pods of a Deployment, ReplicaSet, StatefulSet or DaemonSet run forever: kube:
 * ValidatePodTemplateSpecForReplicaSet (Deployments and ReplicaSets),
 * ValidatePodTemplateSpecForStatefulSet, ValidateDaemonSetSpec: the template's restartPolicy
 * (defaulted to Always) must be Always, and activeDeadlineSeconds is forbidden. True when valid.
 */
function checkAlwaysRunning(tplCur: Cur, kind: WorkloadKind, template: TemplateDraft): boolean {
  const spec = tplCur.child('spec');
  let ok = true;
  if (template.restartPolicy !== 'Always') {
    spec.child('restartPolicy').error(`unsupported value ${JSON.stringify(template.restartPolicy)}: supported values: "Always" (a ${kind}'s pods are always restarted; use a Job for run-to-completion pods)`);
    ok = false;
  }
  if (spec.has('activeDeadlineSeconds')) {
    spec.child('activeDeadlineSeconds').error(`forbidden: activeDeadlineSeconds in a ${kind}'s pod template is not supported`);
    ok = false;
  }
  return ok;
}

/** kube: SetDefaults_Deployment (apps/v1): progressDeadlineSeconds 600. */
const DEFAULT_PROGRESS_DEADLINE_S = 600;

/**
 * kube: ValidateDeploymentSpec: progressDeadlineSeconds is >= 0 and greater than
 * minReadySeconds. It is checked after defaulting, so minReadySeconds >= 600 without a
 * progressDeadlineSeconds is refused too (at minReadySeconds). True when valid.
 */
function checkProgressDeadline(spec: Cur, minReadySeconds: number): boolean {
  const pdCur = spec.child('progressDeadlineSeconds');
  if (pdCur.missing) {
    if (DEFAULT_PROGRESS_DEADLINE_S > minReadySeconds) return true;
    spec.child('minReadySeconds').error(`must be less than progressDeadlineSeconds, which defaults to ${DEFAULT_PROGRESS_DEADLINE_S}: set progressDeadlineSeconds above ${minReadySeconds}`);
    return false;
  }
  const pd = pdCur.int({ min: 0, max: INT32_MAX });
  if (pd === undefined) return false;
  if (pd > minReadySeconds) return true;
  pdCur.error(`must be greater than minReadySeconds (${minReadySeconds})`);
  return false;
}

/** Reads a workload object; undefined when it has errors (reported). */
export function readWorkload(o: KubeObject, priorities: PriorityTable): WorkloadDraft | undefined {
  const c = o.cur;
  const kind = o.kind as WorkloadKind;
  const base = { kind, name: o.name, namespace: o.namespace, key: `${o.kind}/${o.name}`, source: o.pos };

  if (kind === 'Pod') {
    const template = readPodTemplate(c, priorities);
    if (template === undefined) return undefined;
    const selector: LabelSelector = { matchLabels: { ...template.labels }, matchExpressions: [] };
    return { ...base, replicas: 1, selector, template, strategy: DEFAULT_DEPLOYMENT_STRATEGY, minReadySeconds: 0, job: null, statefulSet: null, cronJob: null };
  }
  if (kind === 'Job') return readJob(c, base, priorities);
  if (kind === 'CronJob') return readCronJob(c, base, priorities);

  const spec = c.requireChild('spec');
  if (spec.missing || spec.entries() === undefined) return undefined;
  const tplCur = spec.requireChild('template');
  const template = tplCur.missing ? undefined : readPodTemplate(tplCur, priorities);
  const selector = readControllerSelector(spec, kind, template);
  const minReadySeconds = spec.child('minReadySeconds').int({ min: 0, max: INT32_MAX }) ?? 0;
  const runsForever = template === undefined || checkAlwaysRunning(tplCur, kind, template);

  let replicas: number | undefined;
  let strategy: RollingUpdateStrategy;
  if (kind === 'DaemonSet') {
    // One pod per eligible node: the simulation's DaemonSet controller decides how many.
    replicas = 0;
    strategy = readDaemonSetStrategy(spec.child('updateStrategy'));
  } else {
    const r = spec.child('replicas');
    replicas = r.missing ? 1 : r.int({ min: 0, max: INT32_MAX });
    strategy = kind === 'Deployment' ? readDeploymentStrategy(spec.child('strategy')) : DEFAULT_DEPLOYMENT_STRATEGY;
  }
  const deadlineOk = kind !== 'Deployment' || checkProgressDeadline(spec, minReadySeconds);
  let statefulSet: WorkloadDraft['statefulSet'] = null;
  if (kind === 'StatefulSet') {
    // kube: SetDefaults_StatefulSet — podManagementPolicy OrderedReady.
    const pmCur = spec.child('podManagementPolicy');
    const pm = pmCur.str() ?? 'OrderedReady';
    if (pm !== 'OrderedReady' && pm !== 'Parallel') {
      pmCur.error(`unsupported value ${JSON.stringify(pm)}: supported values: "OrderedReady", "Parallel"`);
      return undefined;
    }
    const updateStrategy = readStatefulSetUpdateStrategy(spec.child('updateStrategy'));
    if (updateStrategy === undefined) return undefined;
    statefulSet = { podManagementPolicy: pm, updateStrategy };
  }
  if (template === undefined || selector === undefined || replicas === undefined || !runsForever || !deadlineOk) return undefined;
  return { ...base, replicas, selector, template, strategy, minReadySeconds, job: null, statefulSet, cronJob: null };
}

/** kube: batch.LegacyJobNameLabel, batch.JobNameLabel: set by the API server to the Job's name. */
const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'] as const;
/** kube: batch.LegacyControllerUidLabel, batch.ControllerUidLabel: set by the API server to the Job's uid. */
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'] as const;
/** Stands for the uid the API server gives a new Job: no label value of a manifest equals it. */
const NEW_UID = '\u0000uid';

/**
 * A Job's selector. Without `manualSelector: true` the API server generates it (kube:
 * pkg/registry/batch/job generateSelector): it labels the template with the Job's name and uid
 * (keeping labels already there) and adds `batch.kubernetes.io/controller-uid: <uid>` to the
 * selector's matchLabels; validateGeneratedSelector then requires those template labels to have
 * the generated values and the selector to match exactly the generated labels, so a selector of
 * one's own (`app: x`) is refused. With `manualSelector: true` (ValidateJobSpec) the selector is
 * required and must select the template's labels. True when valid.
 */
function checkJobSelector(spec: Cur, name: string, labels: Record<string, string>): boolean {
  const manual = spec.child('manualSelector').bool() ?? false;
  const selCur = spec.child('selector');
  const labelsCur = spec.child('template').child('metadata').child('labels');
  if (manual) {
    const sel = readLabelSelector(spec.requireChild('selector'));
    if (sel === undefined) return false;
    if (selectorMatches(sel, labels)) return true;
    labelsCur.error('`selector` does not match template `labels`');
    return false;
  }
  let ok = true;
  const generated: Record<string, string> = { ...labels };
  for (const k of JOB_NAME_LABELS) {
    if (!Object.hasOwn(labels, k)) generated[k] = name;
    else if (labels[k] !== name) {
      labelsCur.child(k).error(`must be ${JSON.stringify(name)}, the Job's name (the API server sets this label)`);
      ok = false;
    }
  }
  for (const k of CONTROLLER_UID_LABELS) {
    if (!Object.hasOwn(labels, k)) generated[k] = NEW_UID;
    else {
      labelsCur.child(k).error("must be the Job's uid, which the API server generates: leave this label out");
      ok = false;
    }
  }
  if (selCur.missing) return ok;
  const own = readLabelSelector(selCur);
  if (own === undefined) return false;
  const sel: LabelSelector = { matchLabels: { [CONTROLLER_UID_LABELS[1]]: NEW_UID, ...own.matchLabels }, matchExpressions: own.matchExpressions };
  const expected = Object.fromEntries([...JOB_NAME_LABELS.map((k) => [k, name]), ...CONTROLLER_UID_LABELS.map((k) => [k, NEW_UID])]);
  if (!selectorMatches(sel, expected)) {
    selCur.error('`selector` not auto-generated: set `manualSelector: true` to select the pods with a selector of your own');
    return false;
  }
  if (ok && !selectorMatches(sel, generated)) {
    labelsCur.error('`selector` does not match template `labels`');
    return false;
  }
  return ok;
}

/**
 * kube: ValidateJobTemplateSpec: a CronJob's jobTemplate has no selector of its own (the Jobs
 * created from it get generated ones) and no `manualSelector: true`. True when valid.
 */
function checkJobTemplateSelector(spec: Cur): boolean {
  let ok = true;
  const selCur = spec.child('selector');
  if (!selCur.missing) {
    selCur.error('`selector` will be auto-generated: leave it out of a jobTemplate');
    ok = false;
  }
  const manCur = spec.child('manualSelector');
  if (manCur.bool() === true) {
    manCur.error('unsupported value true: supported values: "nil", "false"');
    ok = false;
  }
  return ok;
}

/**
 * batch/v1 Job (`c` the Job), or a CronJob's jobTemplate (`inCronJob`). kube: SetDefaults_Job —
 * completions and parallelism both unset -> 1 and 1; parallelism unset -> 1; backoffLimit 6.
 * The selector is generated by the API from the controller uid (manualSelector false), so the
 * template labels select the pods; with manualSelector it must select them too.
 * Validation: restartPolicy must be OnFailure or Never; the selector rules above.
 */
export function readJob(
  c: Cur,
  base: Pick<WorkloadDraft, 'kind' | 'name' | 'namespace' | 'key' | 'source'>,
  priorities: PriorityTable,
  inCronJob = false,
): WorkloadDraft | undefined {
  const spec = c.requireChild('spec');
  if (spec.missing || spec.entries() === undefined) return undefined;
  const tplCur = spec.requireChild('template');
  const template = tplCur.missing ? undefined : readPodTemplate(tplCur, priorities);
  const selectorOk = inCronJob ? checkJobTemplateSelector(spec) : template === undefined || checkJobSelector(spec, base.name, template.labels);
  const completionsCur = spec.child('completions');
  const parallelismCur = spec.child('parallelism');
  let completions: number | null = completionsCur.missing ? null : (completionsCur.int({ min: 0, max: INT32_MAX }) ?? null);
  let parallelism = parallelismCur.missing ? 1 : (parallelismCur.int({ min: 0, max: INT32_MAX }) ?? 1);
  if (completionsCur.missing && parallelismCur.missing) {
    completions = 1;
    parallelism = 1;
  }
  const backoffLimit = spec.child('backoffLimit').int({ min: 0, max: INT32_MAX }) ?? 6;
  const deadline = spec.child('activeDeadlineSeconds');
  const activeDeadlineSeconds = deadline.missing ? null : (deadline.int({ min: 1 }) ?? null);
  if (template === undefined) return undefined;
  if (template.restartPolicy === 'Always') {
    tplCur.child('spec').child('restartPolicy').error('a Job\'s pods need restartPolicy OnFailure or Never (the API rejects Always)');
    return undefined;
  }
  if (!selectorOk) return undefined;
  const selector: LabelSelector = { matchLabels: { ...template.labels }, matchExpressions: [] };
  return {
    ...base,
    replicas: parallelism,
    selector,
    template,
    strategy: DEFAULT_DEPLOYMENT_STRATEGY,
    minReadySeconds: 0,
    job: { completions, parallelism, backoffLimit, activeDeadlineSeconds },
    statefulSet: null,
    cronJob: null,
  };
}
