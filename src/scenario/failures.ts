// spec.failures and spec.disruptions.
//
// Simulated now: `node-crash`, `zone-outage` and `spot-interruption` failures; `drain`, `rollout` and
// `rolling-node-upgrade` disruptions. The other types of the SPEC
// are valid in the schema (editors complete them) but the loader refuses them with an error,
// so a scenario never silently runs without a failure it asked for.

import type { NodeIndex } from './cluster.js';
import type { Cur } from './cursor.js';
import { readDistribution } from './distribution.js';
import type { Disruption, Distribution, Failure, NodeTarget } from './model.js';
import { didYouMean } from './suggest.js';

/** node-crash repair time when the entry gives none: fixed 1 h. */
export const DEFAULT_REPAIR: Distribution = { dist: 'fixed', value: 3600 };

/**
 * pools: and names: of an entry, each checked to exist. The simulation applies an entry to the
 * nodes in both lists (NodeTarget), so a listed name outside the listed pools would be ignored
 * and an empty list would mean every node: both are errors, as is a pair with no node in common.
 */
function readTarget(c: Cur, nodes: NodeIndex): NodeTarget | undefined {
  let ok = true;
  const pools: string[] = [];
  const names: string[] = [];
  const namesAt: Cur[] = [];
  const poolsCur = c.child('pools');
  const namesCur = c.child('names');
  if (poolsCur.emptyList) {
    poolsCur.error('must list at least one node pool; omit it to target every pool');
    ok = false;
  }
  if (namesCur.emptyList) {
    namesCur.error('must list at least one node; omit it to target every node');
    ok = false;
  }
  for (const p of poolsCur.list() ?? []) {
    const s = p.str();
    if (s === undefined) {
      ok = false;
      if (p.missing) p.mustBe('a pool name');
    } else if (!nodes.hasPool(s)) {
      p.error(`no node pool named ${JSON.stringify(s)}${didYouMean(s, nodes.poolNames)}`);
      ok = false;
    } else {
      pools.push(s);
    }
  }
  for (const n of namesCur.list() ?? []) {
    const s = n.str();
    if (s === undefined) {
      ok = false;
      if (n.missing) n.mustBe('a node name');
    } else if (!nodes.has(s)) {
      n.error(`no node named ${JSON.stringify(s)} in the cluster (pool nodes are named <pool>-<index>)`);
      ok = false;
    } else {
      names.push(s);
      namesAt.push(n);
    }
  }
  if (ok && pools.length > 0 && names.length > 0) {
    const inPools = (name: string) => pools.includes(nodes.poolNode(name)?.pool ?? '');
    if (!names.some(inPools)) {
      c.error(`pools [${pools.join(', ')}] and names [${names.join(', ')}] have no node in common, so the entry targets nothing (it applies to the nodes in both lists); drop one of them`);
      return undefined;
    }
    names.forEach((name, i) => {
      if (inPools(name)) return;
      namesAt[i]!.error(`node ${JSON.stringify(name)} is not in pools [${pools.join(', ')}], so the entry would ignore it (it applies to the nodes in both lists)`);
      ok = false;
    });
  }
  return ok ? { pools, names } : undefined;
}

function warnAfterHorizon(c: Cur, atS: number, horizonS: number | undefined): void {
  if (horizonS !== undefined && atS >= horizonS) c.warn(`at ${atS}s is not before the horizon (${horizonS}s); it never happens`);
}

export function readFailures(list: Cur, nodes: NodeIndex, horizonS: number | undefined): Failure[] {
  const out: Failure[] = [];
  for (const f of list.list() ?? []) {
    if (f.entries() === undefined) continue;
    const typeCur = f.requireChild('type');
    const type = typeCur.str();
    if (type === undefined) continue;
    if (type === 'spot-interruption') {
      const target = readTarget(f, nodes);
      const mtbf = readDistribution(f.requireChild('mtbf'), { bare: 'exponential', positive: true });
      const noticeCur = f.child('notice');
      const noticeS = noticeCur.missing ? 120 : noticeCur.duration();
      if (target === undefined || mtbf === undefined || noticeS === undefined) continue;
      if (target.names.length > 0) {
        f.child('names').error('spot interruptions apply to pools (replacement nodes join the pool): use `pools`');
        continue;
      }
      out.push({ type: 'spot-interruption', target, mtbf, noticeS, source: f.pos });
      continue;
    }
    if (type === 'zone-outage') {
      const zoneCur = f.requireChild('zone');
      const zone = zoneCur.str();
      const atCur = f.requireChild('at');
      const atS = atCur.duration();
      const durCur = f.requireChild('duration');
      const durationS = durCur.duration();
      if (zone === undefined || atS === undefined || durationS === undefined) continue;
      if (!nodes.zones.has(zone)) {
        zoneCur.error(`no node is in zone ${JSON.stringify(zone)}${didYouMean(zone, [...nodes.zones])}`);
        continue;
      }
      warnAfterHorizon(atCur, atS, horizonS);
      out.push({ type: 'zone-outage', zone, atS, durationS, source: f.pos });
      continue;
    }
    if (type !== 'node-crash') {
      typeCur.error(`unknown failure type ${JSON.stringify(type)}`); // normally reported by the schema pass
      continue;
    }
    const target = readTarget(f, nodes);
    const mtbfCur = f.child('mtbf');
    const atCur = f.child('at');
    const mtbf = mtbfCur.missing ? null : (readDistribution(mtbfCur, { bare: 'exponential', positive: true }) ?? undefined);
    const atS = atCur.missing ? null : (atCur.duration() ?? undefined);
    const repairCur = f.child('repair');
    const repair = repairCur.missing ? DEFAULT_REPAIR : readDistribution(repairCur, { bare: 'fixed' });
    if (mtbfCur.missing === atCur.missing) {
      f.error(mtbfCur.missing ? 'set `mtbf` (recurring crashes) or `at` (one crash)' : 'set either `mtbf` or `at`, not both');
      continue;
    }
    if (target === undefined || mtbf === undefined || atS === undefined || repair === undefined) continue;
    if (atS !== null) warnAfterHorizon(atCur, atS, horizonS);
    out.push({ type: 'node-crash', target, mtbf, atS, repair, source: f.pos });
  }
  return out;
}

/** KIND/NAME of the workloads a `rollout` may name: Deployments, StatefulSets and DaemonSets. */
export function readDisruptions(list: Cur, nodes: NodeIndex, horizonS: number | undefined, deployments: readonly string[] = []): Disruption[] {
  const out: Disruption[] = [];
  for (const d of list.list() ?? []) {
    if (d.entries() === undefined) continue;
    const typeCur = d.requireChild('type');
    const type = typeCur.str();
    if (type === undefined) continue;
    if (type === 'rollout') {
      const wCur = d.requireChild('workload');
      const key = wCur.str();
      const atCur = d.requireChild('at');
      const atS = atCur.duration();
      if (key === undefined || atS === undefined) continue;
      if (!deployments.includes(key)) {
        wCur.error(`no Deployment, StatefulSet or DaemonSet ${JSON.stringify(key)} in the scenario (a rollout names a workload as KIND/NAME)${didYouMean(key, deployments)}`);
        continue;
      }
      warnAfterHorizon(atCur, atS, horizonS);
      out.push({ type: 'rollout', workload: key, atS, source: d.pos });
      continue;
    }
    if (type === 'rolling-node-upgrade') {
      const target = readTarget(d, nodes);
      const atCur = d.requireChild('at');
      const atS = atCur.duration();
      const muCur = d.child('maxUnavailable');
      const maxUnavailable = muCur.missing ? { kind: 'int' as const, value: 1 } : muCur.intOrPercent();
      const dt = d.child('drainTimeout').duration();
      const onCur = d.child('onDrainTimeout');
      const on = onCur.str() ?? 'force';
      const reimageCur = d.child('reimage');
      const reimageS = reimageCur.missing ? 600 : reimageCur.duration();
      if (on !== 'force' && on !== 'skip') onCur.error(`expected force or skip, got ${JSON.stringify(on)}`);
      if (maxUnavailable !== undefined && maxUnavailable.value <= 0) muCur.error('must be at least 1 (or a percentage above 0)');
      if (target === undefined || atS === undefined || maxUnavailable === undefined || reimageS === undefined || (on !== 'force' && on !== 'skip') || maxUnavailable.value <= 0) continue;
      warnAfterHorizon(atCur, atS, horizonS);
      out.push({
        type: 'rolling-node-upgrade',
        target,
        atS,
        maxUnavailable,
        drainTimeoutS: dt === undefined || dt === 0 ? null : dt,
        onDrainTimeout: on,
        reimageS,
        source: d.pos,
      });
      continue;
    }
    if (type !== 'drain') {
      typeCur.error(`unknown disruption type ${JSON.stringify(type)}`); // normally reported by the schema pass
      continue;
    }
    const target = readTarget(d, nodes);
    const atCur = d.requireChild('at');
    const atS = atCur.duration();
    const countCur = d.child('nodes');
    const count = countCur.int({ min: 1 });
    // kubectl drain --timeout=0 means "wait forever", like no timeout.
    const timeout = d.child('timeout').duration();
    const force = d.child('force').bool() ?? false;
    const deleteEmptyDirData = d.child('deleteEmptyDirData').bool() ?? false;
    const uncordonAfterS = d.child('uncordonAfter').duration() ?? null;
    if (target === undefined || atS === undefined || (!countCur.missing && count === undefined)) continue;
    if (count !== undefined && target.names.length > 0) {
      countCur.error('use either `nodes` (that many random nodes) or `names`, not both');
      continue;
    }
    if (count !== undefined) {
      const available = nodes.size(target.pools);
      if (count > available) {
        countCur.error(`drains ${count} nodes but the ${target.pools.length > 0 ? `pool${target.pools.length > 1 ? 's' : ''} ${target.pools.join(', ')} ha${target.pools.length > 1 ? 've' : 's'}` : 'cluster has'} only ${available}`);
        continue;
      }
    }
    warnAfterHorizon(atCur, atS, horizonS);
    out.push({
      type: 'drain',
      target,
      count: count ?? null,
      atS,
      timeoutS: timeout === undefined || timeout === 0 ? null : timeout,
      force,
      deleteEmptyDirData,
      uncordonAfterS,
      source: d.pos,
    });
  }
  return out;
}
