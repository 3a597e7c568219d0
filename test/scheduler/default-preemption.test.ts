// DefaultPreemption.PostFilter against a hand-built context: the FitError message suffix
// (kube: DefaultPreemption.PostFilter prefixes "preemption: "; FitError.Error appends it),
// the nomination, and the victims handed to the pod lifecycle.
import { describe, expect, it } from 'vitest';
import { cluster, podTemplate, type NodeSpec } from './helpers.js';
import { preemptionFixture } from './preemption-fixture.js';

/**
 * Templates: 0 = the preemptor (prio 100, 2000m), 1 = low (prio 0, 1000m), 2 = high (prio 500,
 * 1000m). `placed` puts pods of a template on a node.
 */
function context(nodeSpecs: NodeSpec[], placed: [tmpl: number, node: number][], preemptor: { never?: boolean; cpu?: number } = {}) {
  const tmpls = [
    podTemplate({ requests: [preemptor.cpu ?? 2000, 0, 0], priority: 100, preemptionPolicy: preemptor.never === true ? 'Never' : 'PreemptLowerPriority', labels: { app: 'p' } }),
    podTemplate({ requests: [1000, 0, 0], priority: 0, labels: { app: 'low' } }),
    podTemplate({ requests: [1000, 0, 0], priority: 500, labels: { app: 'high' } }),
  ];
  return preemptionFixture(cluster(nodeSpecs), tmpls, { placed });
}

describe('DefaultPreemption.PostFilter', () => {
  it('nominates the node, deletes its victims and leaves the FitError message without a suffix', () => {
    // n0: two low pods (2000m of 2000m); n1: two high pods. Only n0 has victims: both go.
    const f = context([{ cpu: 2000 }, { cpu: 2000 }], [[1, 0], [1, 0], [2, 1], [2, 1]]);
    expect(f.scheduler.scheduleOne(f.templates[0]!, f.preemptorId)).toBe(-1);
    f.dp.postFilter(f.preemptorId);
    expect(f.nominator.nodeOf(f.preemptorId)).toBe(0);
    // Equally important victims (prio 0, started at 0) in pod-id order.
    expect(f.deleted).toEqual(['0:preemption', '1:preemption']);
    expect(f.scheduler.lastFailureMessage()).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    // Retried while its victims terminate: not eligible, the nomination stays.
    expect(f.scheduler.scheduleOne(f.templates[0]!, f.preemptorId)).toBe(-1);
    f.dp.postFilter(f.preemptorId);
    expect(f.scheduler.lastFailureMessage()).toBe(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.',
    );
    expect(f.nominator.nodeOf(f.preemptorId)).toBe(0);
    expect(f.deleted).toHaveLength(2);
  });

  it('preemptionPolicy Never', () => {
    const f = context([{ cpu: 2000 }], [[1, 0], [1, 0]], { never: true });
    expect(f.scheduler.scheduleOne(f.templates[0]!, f.preemptorId)).toBe(-1);
    f.dp.postFilter(f.preemptorId);
    expect(f.scheduler.lastFailureMessage()).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
    expect(f.deleted).toEqual([]);
  });

  it('no candidate: the dry run statuses, and absent nodes "not helpful"', () => {
    // n0: only higher-priority pods; n1: 1000m node, too small even empty (2000m asked);
    // n2: cordoned (NodeUnschedulable, unresolvable): absent.
    const f = context([{ cpu: 2000 }, { cpu: 1000 }, { cpu: 4000, unschedulable: true }], [[2, 0], [2, 0], [1, 1]]);
    expect(f.scheduler.scheduleOne(f.templates[0]!, f.preemptorId)).toBe(-1);
    f.dp.postFilter(f.preemptorId);
    // Both histograms are sorted as strings (Go sort.Strings): "1 node(s)..." before "2 ...".
    expect(f.scheduler.lastFailureMessage()).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: ' +
        '1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
    expect(f.nominator.nodeOf(f.preemptorId)).toBe(-1);
  });

  it('reuses a "no candidate" result for the template until the cluster changes', () => {
    // n0: two high pods (no victims); n1: two low pods but cordoned (unresolvable).
    const f = context([{ cpu: 2000 }, { cpu: 2000, unschedulable: true }], [[2, 0], [2, 0], [1, 1], [1, 1]]);
    const message =
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: ' +
      '1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.';
    expect(f.scheduler.scheduleOne(f.templates[0]!, f.preemptorId)).toBe(-1);
    f.dp.postFilter(f.preemptorId);
    expect(f.scheduler.lastFailureMessage()).toBe(message);
    // A second pod of the template, same state: the cached outcome, and the same message.
    const second = f.pods.alloc(0, 0, 1, 0);
    expect(f.scheduler.scheduleOne(f.templates[0]!, second)).toBe(-1);
    f.dp.postFilter(second);
    expect(f.scheduler.lastFailureMessage()).toBe(message);
    // Uncordoning n1 (topologyVersion) invalidates it: n1's two low pods are the victims.
    f.nodes.setDynTaint(1, 1, false);
    f.dp.postFilter(second);
    expect(f.nominator.nodeOf(second)).toBe(1);
    expect(f.deleted).toEqual(['2:preemption', '3:preemption']);
  });
});
