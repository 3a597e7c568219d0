// spec.traffic: Poisson request streams to services, resolved to the workloads behind them.
//
// `service` names a v1 Service of the scenario, or else a workload by name (`web`, or
// `Deployment/web` when two kinds share the name). A Service's endpoints are the pods of its
// namespace whose labels hold every pair of spec.selector (kube: endpointslice Controller.syncService,
// `labels.Set(service.Spec.Selector).AsSelectorPreValidated()`, an equality-only selector), and a
// Service without a selector gets no endpoints from the controller (syncService returns early
// when `service.Spec.Selector == nil`). Pods of one workload share its template's labels, so
// the selection is made per workload.

import type { Cur } from './cursor.js';
import { readDistribution } from './distribution.js';
import type { ServiceDraft } from './kube/objects.js';
import type { WorkloadDraft } from './kube/workloads.js';
import type { TrafficEntry } from './model.js';
import { didYouMean } from './suggest.js';

/** A request waiting longer than this is dropped unless `timeout` says otherwise. */
export const DEFAULT_TIMEOUT_S = 60;
/** `mode` default: exact when a replication would simulate at most this many requests. */
export const EXACT_MAX_REQUESTS = 100_000;

const FIELDS = ['service', 'rate', 'serviceTime', 'concurrency', 'mode', 'maxQueue', 'timeout'] as const;
const RATE = /^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*\/\s*(s|sec|second|m|min|minute|h|hour)\s*$/;
const PER: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };

/** `2000/s`, `120/m`, `5/h`, or a bare number per second; > 0. */
export function readRate(c: Cur): number | undefined {
  if (c.missing) return undefined;
  let v: number | undefined;
  if (typeof c.value === 'number') v = c.value;
  else if (typeof c.value === 'string') {
    const m = RATE.exec(c.value);
    if (m !== null) v = Number(m[1]) / PER[m[2]!]!;
  }
  if (v === undefined || !Number.isFinite(v)) return void c.mustBe('a rate such as 2000/s, 120/m, 5/h or a number per second');
  if (v <= 0) return void c.mustBe('a rate above 0');
  return v;
}

function selects(svc: ServiceDraft, w: WorkloadDraft): boolean {
  if (svc.selector === null || w.namespace !== svc.namespace) return false;
  for (const k in svc.selector) if (w.template.labels[k] !== svc.selector[k]) return false;
  return true;
}

/** Resolves `service` to workload indexes; undefined after reporting. */
function resolve(c: Cur, name: string, services: ServiceDraft[], workloads: WorkloadDraft[]): number[] | undefined {
  const svcs = services.filter((s) => s.name === name);
  if (svcs.length > 1) return void c.error(`Service ${JSON.stringify(name)} is defined in several namespaces; traffic names a Service by name only`);
  if (svcs.length === 1) {
    const svc = svcs[0]!;
    if (svc.selector === null) return void c.error(`Service ${JSON.stringify(name)} has no spec.selector, so no pods are its endpoints`);
    const ws = workloads.flatMap((w, i) => (selects(svc, w) ? [i] : []));
    if (ws.length === 0) {
      const sel = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
      return void c.error(`Service ${JSON.stringify(name)} selects no workload (selector ${sel} matches no pod template in namespace ${JSON.stringify(svc.namespace)})`);
    }
    return ws;
  }
  const byKey = workloads.findIndex((w) => w.key === name);
  if (byKey >= 0) return [byKey];
  const byName = workloads.flatMap((w, i) => (w.name === name ? [i] : []));
  if (byName.length > 1) return void c.error(`${JSON.stringify(name)} names several workloads (${byName.map((i) => workloads[i]!.key).join(', ')}); write KIND/NAME`);
  if (byName.length === 1) return byName;
  const known = [...services.map((s) => s.name), ...workloads.map((w) => w.name)];
  return void c.error(`no Service or workload named ${JSON.stringify(name)}${didYouMean(name, known)}`);
}

export function readTraffic(list: Cur, services: ServiceDraft[], workloads: WorkloadDraft[], horizonS: number | undefined): TrafficEntry[] {
  const out: TrafficEntry[] = [];
  const seen = new Map<string, Cur>();
  for (const t of list.list() ?? []) {
    if (t.entries() === undefined) continue;
    t.only(FIELDS);
    const before = t.rc.diags.errorCount;
    const svcCur = t.requireChild('service');
    const service = svcCur.str();
    let ws: number[] | undefined;
    if (service !== undefined) {
      const first = seen.get(service);
      if (first !== undefined) svcCur.error(`service ${JSON.stringify(service)} already has traffic (at ${first.pos.file}:${first.pos.line}:${first.pos.col})`);
      else seen.set(service, svcCur);
      ws = resolve(svcCur, service, services, workloads);
    }
    const ratePerS = readRate(t.requireChild('rate'));
    // `positive`: a service time of 0 would make the service rate infinite.
    const serviceTime = readDistribution(t.requireChild('serviceTime'), { bare: 'fixed', positive: true });
    const concurrency = t.child('concurrency').int({ min: 1 }) ?? 1;
    const modeCur = t.child('mode');
    const modeStr = modeCur.str();
    if (modeStr !== undefined && modeStr !== 'exact' && modeStr !== 'fast') modeCur.mustBe('exact or fast', JSON.stringify(modeStr));
    const maxQueue = t.child('maxQueue').int({ min: 0 }) ?? null;
    const timeoutS = t.child('timeout').duration({ gt: 0 }) ?? DEFAULT_TIMEOUT_S;
    if (t.rc.diags.errorCount > before || service === undefined || ws === undefined || ratePerS === undefined || serviceTime === undefined) continue;
    // Default mode: every request simulated when that is cheap (at most EXACT_MAX_REQUESTS per
    // replication), the fluid M/M/c model otherwise.
    const mode = modeStr === 'exact' || modeStr === 'fast' ? modeStr : ratePerS * (horizonS ?? Infinity) <= EXACT_MAX_REQUESTS ? 'exact' : 'fast';
    out.push({ service, workloads: ws, ratePerS, serviceTime, concurrency, mode, maxQueue, timeoutS, source: t.pos });
  }
  return out;
}
