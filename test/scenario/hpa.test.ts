// autoscaling/v2 HorizontalPodAutoscaler manifests -> Scenario.horizontalPodAutoscalers
// (kube: SetDefaults_HorizontalPodAutoscaler, SetDefaults_HorizontalPodAutoscalerBehavior,
// ValidateHorizontalPodAutoscalerSpec).
import { describe, expect, test } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const DEPLOY = `    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, resources: {requests: {cpu: 500m}}}]
`;
const TRAFFIC = `  traffic:\n    - {service: web, rate: 100/s, serviceTime: 50ms, concurrency: 4}\n`;

/** DEPLOY, then `hpa` (the HPA manifest's lines after `kind`, indented 6 spaces). */
const text = (hpa: string, traffic = TRAFFIC) => scenario(`  workloads:\n${DEPLOY}    - apiVersion: autoscaling/v2\n      kind: HorizontalPodAutoscaler\n${hpa}${traffic}`);

describe('HorizontalPodAutoscaler', () => {
  test('defaults: minReplicas 1, 80% CPU without metrics, behavior unset', () => {
    const l = loaded(load(text(`      metadata: {name: web}\n      spec:\n        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n        maxReplicas: 10\n`)));
    expect(l.warnings).toEqual([]);
    const [h] = l.points[0]!.scenario.horizontalPodAutoscalers;
    expect(h).toMatchObject({ name: 'web', namespace: 'default', target: 0, minReplicas: 1, maxReplicas: 10, targetUtilization: 80, behavior: null });
  });

  test('metrics and behavior: unset fields of a rule take the defaults (copyHPAScalingRules)', () => {
    const l = loaded(
      load(
        text(`      metadata: {name: web}
      spec:
        scaleTargetRef: {kind: Deployment, name: web}
        minReplicas: 3
        maxReplicas: 20
        metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
        behavior:
          scaleDown:
            policies: [{type: Pods, value: 1, periodSeconds: 60}]
`),
      ),
    );
    const h = l.points[0]!.scenario.horizontalPodAutoscalers[0]!;
    expect(h.targetUtilization).toBe(50);
    expect(h.behavior).toEqual({
      // GenerateHPAScaleUpRules defaults
      scaleUp: {
        stabilizationWindowS: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodS: 15 },
          { type: 'Percent', value: 100, periodS: 15 },
        ],
      },
      // stabilization: the controller's 300 s; selectPolicy Max; the user's policies
      scaleDown: { stabilizationWindowS: 300, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodS: 60 }] },
    });
  });

  test('positioned errors', () => {
    const hdr = `      metadata: {name: web}\n      spec:\n`;
    // Lines: 8 of scenario header and cluster, `workloads:` 9, the Deployment 10-19; the HPA
    // starts at line 20 (`- apiVersion`), so `spec:` is line 23 and its first field line 24.
    expect(errorsOf(load(text(`${hdr}        scaleTargetRef: {kind: Deployment, name: api}\n        maxReplicas: 10\n`)))).toEqual([
      's.yaml:24:25: HorizontalPodAutoscaler "web": spec.scaleTargetRef: no Deployment "api" in namespace "default" among the scenario\'s workloads',
    ]);
    expect(errorsOf(load(text(`${hdr}        scaleTargetRef: {kind: Deployment, name: web}\n        minReplicas: 5\n        maxReplicas: 2\n`)))).toEqual([
      's.yaml:26:22: HorizontalPodAutoscaler "web": spec.maxReplicas: must be greater than or equal to minReplicas (5), got 2',
    ]);
    expect(errorsOf(load(text(`${hdr}        scaleTargetRef: {kind: Deployment, name: web}\n        minReplicas: 0\n        maxReplicas: 2\n`)))).toEqual([
      's.yaml:25:22: HorizontalPodAutoscaler "web": spec.minReplicas must be >= 1, got 0',
    ]);
    expect(
      errorsOf(
        load(
          text(`${hdr}        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 2
        metrics: [{type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "10"}}}]
`),
        ),
      ),
    ).toEqual([
      's.yaml:26:26: HorizontalPodAutoscaler "web": spec.metrics[0].type: metric type "Pods" is not simulated: the traffic model yields CPU usage only; use type Resource with name cpu',
    ]);
    expect(
      errorsOf(
        load(
          text(`${hdr}        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 2
        metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 60}}}]
`),
        ),
      ),
    ).toEqual([
      's.yaml:26:53: HorizontalPodAutoscaler "web": spec.metrics[0].resource.name: resource "memory" is not simulated: the traffic model yields CPU usage only; use cpu',
    ]);
    expect(
      errorsOf(
        load(
          text(`${hdr}        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 2
        behavior: {scaleUp: {selectPolicy: Fastest, policies: [{type: Pods, value: 0, periodSeconds: 1801}]}}
`),
        ),
      ),
    ).toEqual([
      's.yaml:26:44: HorizontalPodAutoscaler "web": spec.behavior.scaleUp.selectPolicy: unsupported value "Fastest": supported values: "Disabled", "Max", "Min"',
      's.yaml:26:84: HorizontalPodAutoscaler "web": spec.behavior.scaleUp.policies[0].value must be >= 1, got 0',
      's.yaml:26:102: HorizontalPodAutoscaler "web": spec.behavior.scaleUp.policies[0].periodSeconds must be <= 1800, got 1801',
    ]);
  });

  test('targets: only Deployments, ReplicaSets and StatefulSets, with a cpu request, one HPA each', () => {
    const ds = `    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent}
      spec:
        selector: {matchLabels: {app: agent}}
        template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: a, resources: {requests: {cpu: 100m}}}]}}
    - {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: agent}, spec: {scaleTargetRef: {kind: DaemonSet, name: agent}, maxReplicas: 3}}
`;
    expect(errorsOf(load(scenario(`  workloads:\n${ds}`)))).toEqual([
      's.yaml:16:122: HorizontalPodAutoscaler "agent": spec.scaleTargetRef.kind: scaling a DaemonSet is not simulated; the target must be a Deployment, a ReplicaSet or a StatefulSet',
    ]);
    const hpa = (name: string) => `    - {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: ${name}}, spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 3}}\n`;
    expect(errorsOf(load(scenario(`  workloads:\n${DEPLOY}${hpa('a')}${hpa('b')}${TRAFFIC}`)))).toEqual([
      's.yaml:21:111: HorizontalPodAutoscaler "b": spec.scaleTargetRef: Deployment "web" is already scaled by the HorizontalPodAutoscaler at s.yaml:20:7',
    ]);
    const noCpu = DEPLOY.replace('resources: {requests: {cpu: 500m}}', 'resources: {requests: {memory: 1Gi}}');
    expect(errorsOf(load(scenario(`  workloads:\n${noCpu}${hpa('a')}${TRAFFIC}`)))).toEqual([
      's.yaml:20:111: HorizontalPodAutoscaler "a": spec.scaleTargetRef: Deployment "web" requests no cpu: a Utilization target is a share of the request (the HPA would fail with "missing request for cpu")',
    ]);
  });

  test('a target without traffic is a warning; autoscaling/v1 is skipped with a warning', () => {
    const l = loaded(load(text(`      metadata: {name: web}\n      spec:\n        scaleTargetRef: {kind: Deployment, name: web}\n        maxReplicas: 10\n`, '')));
    expect(l.warnings).toEqual([
      's.yaml:20:7: warning: HorizontalPodAutoscaler "web": Deployment/web is behind no spec.traffic service, so its CPU usage is 0 and the HPA scales it down to minReplicas',
    ]);
    const v1 = scenario(`  workloads:\n${DEPLOY}    - {apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {maxReplicas: 3}}\n`);
    const l1 = loaded(load(v1));
    expect(l1.points[0]!.scenario.horizontalPodAutoscalers).toEqual([]);
    expect(l1.warnings).toEqual([
      's.yaml:20:20: warning: HorizontalPodAutoscaler "web": apiVersion: skipped: autoscaling/v1 HorizontalPodAutoscalers are not read; write it as autoscaling/v2 (metrics[].resource.target.averageUtilization)',
    ]);
  });

  test('sweep can address the HPA target', () => {
    const l = loaded(
      load(
        text(`      metadata: {name: web}
      spec:
        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 10
        metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
`) + `  sweep:\n    - {set: "workloads[HorizontalPodAutoscaler/web].spec.metrics[0].resource.target.averageUtilization", values: [50, 80]}\n`,
      ),
    );
    expect(l.points.map((p) => p.scenario.horizontalPodAutoscalers[0]!.targetUtilization)).toEqual([50, 80]);
  });
});
