// spec.traffic: rates, defaults, the mode rule, Service selectors resolved to workloads, and
// positioned errors.
import { describe, expect, test } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const WORKLOADS = `  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template: {metadata: {labels: {app: web, tier: front}}, spec: {containers: [{name: c}]}}
    - apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: cache}
      spec:
        selector: {matchLabels: {app: cache}}
        template: {metadata: {labels: {app: cache, tier: front}}, spec: {containers: [{name: c}]}}
    - apiVersion: v1
      kind: Service
      metadata: {name: front}
      spec: {selector: {tier: front}, ports: [{port: 80}]}
    - apiVersion: v1
      kind: Service
      metadata: {name: external}
      spec: {type: ExternalName, externalName: example.com}
    - apiVersion: v1
      kind: Service
      metadata: {name: other-ns, namespace: prod}
      spec: {selector: {app: web}}
`;

describe('traffic entries', () => {
  test('a Service selects every workload whose template labels hold its selector; a workload by name; defaults', () => {
    const s = loaded(
      load(
        scenario(`${WORKLOADS}  traffic:
    - {service: front, rate: 2000/s, serviceTime: {dist: exponential, mean: 25ms}, concurrency: 8}
    - {service: web, rate: 120/m, serviceTime: 40ms, mode: fast, maxQueue: 100, timeout: 5s}
    - {service: StatefulSet/cache, rate: 0.5, serviceTime: {dist: lognormal, median: 10ms, p99: 100ms}}
`),
      ),
    ).points[0]!.scenario;
    expect(s.traffic.map((t) => [t.service, t.workloads, t.ratePerS, t.concurrency, t.mode, t.maxQueue, t.timeoutS])).toEqual([
      // 2000/s over 1 d = 1.7e8 requests > 100,000: fast
      ['front', [0, 1], 2000, 8, 'fast', null, 60],
      // 120/m = 2/s
      ['web', [0], 2, 1, 'fast', 100, 5],
      // 0.5/s over 86,400 s = 43,200 requests <= 100,000: exact by default
      ['StatefulSet/cache', [1], 0.5, 1, 'exact', null, 60],
    ]);
    expect(s.traffic[1]!.serviceTime).toEqual({ dist: 'fixed', value: 0.04 });
    expect(s.traffic[0]!.source).toEqual({ file: 's.yaml', line: 36, col: 7 });
    // Services are read, not warned about
    expect(s.warnings).toEqual([]);
  });

  test('--set and sweeps address an entry by its service: traffic[front].rate', () => {
    const s = loaded(
      load(
        scenario(`${WORKLOADS}  traffic:
    - {service: front, rate: 2000/s, serviceTime: 25ms}
`),
        [{ path: 'traffic[front].rate', value: '30/m' }],
      ),
    ).points[0]!.scenario;
    // 30/m = 0.5/s; 0.5 × 86,400 = 43,200 requests <= 100,000: the default mode becomes exact
    expect([s.traffic[0]!.ratePerS, s.traffic[0]!.mode]).toEqual([0.5, 'exact']);
  });

  test('a name shared by two workload kinds, or a Service in two namespaces, is ambiguous', () => {
    const twice = `    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: cache}
      spec:
        selector: {matchLabels: {app: cache2}}
        template: {metadata: {labels: {app: cache2}}, spec: {containers: [{name: c}]}}
    - apiVersion: v1
      kind: Service
      metadata: {name: front, namespace: prod}
      spec: {selector: {tier: front}}
`;
    expect(
      errorsOf(
        load(
          scenario(`${WORKLOADS}${twice}  traffic:
    - {service: cache, rate: 1/s, serviceTime: 25ms}
    - {service: front, rate: 1/s, serviceTime: 25ms}
`),
        ),
      ),
    ).toEqual([
      's.yaml:46:17: spec.traffic[0].service: "cache" names several workloads (StatefulSet/cache, Deployment/cache); write KIND/NAME',
      's.yaml:47:17: spec.traffic[1].service: Service "front" is defined in several namespaces; traffic names a Service by name only',
    ]);
  });

  test('positioned errors', () => {
    expect(
      errorsOf(
        load(
          scenario(`${WORKLOADS}  traffic:
    - {service: fornt, rate: 2000/s, serviceTime: 25ms}
    - {service: external, rate: 10/s, serviceTime: 25ms}
    - {service: other-ns, rate: 10/s, serviceTime: 25ms}
    - {service: web, rate: fast, serviceTime: 0s, concurrency: 0, mode: quick}
    - {service: cache, rate: -3, serviceTime: 25ms, timeout: 0s, maxQueue: -1}
    - {service: cache, rate: 1/s, serviceTime: 25ms, extra: 1}
`),
        ),
      ),
    ).toEqual([
      's.yaml:36:17: spec.traffic[0].service: no Service or workload named "fornt" (did you mean "front"?)',
      's.yaml:37:17: spec.traffic[1].service: Service "external" has no spec.selector, so no pods are its endpoints',
      's.yaml:38:17: spec.traffic[2].service: Service "other-ns" selects no workload (selector app=web matches no pod template in namespace "prod")',
      's.yaml:39:28: spec.traffic[3].rate must be a rate such as 2000/s, 120/m, 5/h or a number per second, got "fast"',
      's.yaml:39:47: spec.traffic[3].serviceTime must be longer than 0s, got "0s"',
      's.yaml:39:64: spec.traffic[3].concurrency must be >= 1, got 0',
      's.yaml:39:73: spec.traffic[3].mode: unsupported value "quick" (expected one of fast, exact)',
      's.yaml:40:30: spec.traffic[4].rate must be a rate above 0, got -3',
      's.yaml:40:62: spec.traffic[4].timeout must be longer than 0s, got "0s"',
      's.yaml:40:76: spec.traffic[4].maxQueue must be >= 0, got -1',
      // the first entry for a service wins; the second is refused where it names it
      's.yaml:41:17: spec.traffic[5].service: service "cache" already has traffic (at s.yaml:40:17)',
      's.yaml:41:54: spec.traffic[5].extra: unknown field "extra"',
    ]);
  });
});
