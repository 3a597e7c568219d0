// StatefulSet ordering and identity (reference section 8.1; section 5 on unreachable nodes).
import { describe, expect, it } from 'vitest';
import { nodeCrash, nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

function sts(policy: 'OrderedReady' | 'Parallel', extra: Partial<Parameters<typeof scenario>[0]> = {}) {
  return scenario({
    horizonS: 10_000,
    nodePools: [nodePool({ name: 'general', count: 3 })],
    workloads: [
      workload({
        name: 'db',
        kind: 'StatefulSet',
        replicas: 3,
        statefulSet: { podManagementPolicy: policy },
        template: podTemplate({ labels: { app: 'db' }, cpuMilli: 1000 }),
        behavior: { startup: { dist: 'fixed', value: 10 } },
      }),
    ],
    ...extra,
  });
}

describe('StatefulSet', () => {
  it('OrderedReady creates db-0, db-1, db-2 one after another as each becomes Ready', () => {
    const r = run(sts('OrderedReady'));
    expect(r.events('pod-created').map((e) => `${e.split(' ')[0]} ${e.split(' ').at(-1)}`)).toEqual(['0 db-0', '10 db-1', '20 db-2']);
  });

  it('Parallel creates every pod at once', () => {
    const r = run(sts('Parallel'));
    expect(r.events('pod-created').map((e) => e.split(' ')[0])).toEqual(['0', '0', '0']);
  });

  it('does not replace a pod evicted from an unreachable node until the old pod is gone', () => {
    const r = run(
      sts('Parallel', {
        failures: [nodeCrash({ target: { pools: [], names: ['general-0'] }, atS: 1000, repair: { dist: 'fixed', value: 3600 } })],
      }),
    );
    // Taint eviction at 1000 + 50 + 300 = 1350; the pod stays Terminating on the dead node
    // until it returns at 4600; only then is the same ordinal recreated.
    expect(r.events('pod-deleted')).toEqual([expect.stringMatching(/^1350 general-0 db-\d taint-eviction$/)]);
    const deleted = r.events('pod-deleted')[0]!.split(' ')[2]!;
    expect(r.events('pod-gone')).toEqual([`4600 general-0 ${deleted}`]);
    expect(r.events('pod-created').filter((e) => !e.startsWith('0 '))).toEqual([`4600 ${deleted}`]);
    // Ready pods: 2 from 1000 until the new pod is Ready at 4610 -> minReady 1 is met throughout.
    expect(r.metric('db', 'ready_mean')).toBeCloseTo((3 * 10_000 - 3 * 10 - 3610) / 10_000, 9);
  });
});
