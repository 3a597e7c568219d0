// spec.affinity.podAffinity / podAntiAffinity and spec.topologySpreadConstraints, read with the
// API server's validation (kube: validatePodAffinityTerm, validateTopologySpreadConstraints) and
// its matchLabelKeys / mismatchLabelKeys merge.
import { describe, expect, test } from 'vitest';
import type { PodTemplate } from '../../src/scenario/model.js';
import { errorsOf, load, loaded, scenario } from './helpers.js';

/** A bare Pod with labels {app: web, pod-template-hash: h1} and this YAML under spec (6-space indent). */
function pod(spec: string): string {
  return `  workloads:
    - apiVersion: v1
      kind: Pod
      metadata: {name: p, labels: {app: web, pod-template-hash: h1}}
      spec:
        containers: [{name: c}]
${spec}`;
}

function template(spec: string): PodTemplate {
  const r = load(scenario(pod(spec)));
  return loaded(r).points[0]!.scenario.workloads[0]!.template;
}

const errors = (spec: string): string[] => errorsOf(load(scenario(pod(spec))));

describe('pod affinity and anti-affinity', () => {
  test('required and preferred terms; namespaces; matchLabelKeys / mismatchLabelKeys merged as In / NotIn', () => {
    const t = template(`        affinity:
          podAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              - labelSelector: {matchLabels: {app: db}}
                topologyKey: topology.kubernetes.io/zone
                matchLabelKeys: [pod-template-hash, missing]
          podAntiAffinity:
            preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 40
                podAffinityTerm:
                  labelSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
                  namespaces: [shop]
                  namespaceSelector: {}
                  topologyKey: kubernetes.io/hostname
                  mismatchLabelKeys: [pod-template-hash]
`);
    expect(t.podAffinity).toEqual({
      required: [
        {
          // "missing" is not a label of the pod: dropped (kube: only keys the pod has are merged)
          labelSelector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'pod-template-hash', operator: 'In', values: ['h1'] }] },
          namespaces: [],
          namespaceSelector: null,
          topologyKey: 'topology.kubernetes.io/zone',
        },
      ],
      preferred: [],
    });
    expect(t.podAntiAffinity).toEqual({
      required: [],
      preferred: [
        {
          weight: 40,
          term: {
            labelSelector: {
              matchLabels: {},
              matchExpressions: [
                { key: 'app', operator: 'In', values: ['web'] },
                { key: 'pod-template-hash', operator: 'NotIn', values: ['h1'] },
              ],
            },
            namespaces: ['shop'],
            namespaceSelector: { matchLabels: {}, matchExpressions: [] },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ],
    });
    expect(t.topologySpreadConstraints).toEqual([]);
  });

  test('a term without labelSelector is kept and selects nothing (null)', () => {
    const t = template(`        affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: zone}]}}
`);
    expect(t.podAntiAffinity.required).toEqual([{ labelSelector: null, namespaces: [], namespaceSelector: null, topologyKey: 'zone' }]);
  });

  test('positioned errors: topologyKey missing or empty, weight out of range, bad operator, label keys', () => {
    expect(
      errors(`        affinity:
          podAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              - labelSelector: {matchLabels: {app: db}}
              - labelSelector: {matchLabels: {app: db}}
                topologyKey: ""
              - labelSelector: {matchExpressions: [{key: app, operator: Equals, values: [x]}]}
                topologyKey: zone
              - topologyKey: zone
                matchLabelKeys: [app]
              - labelSelector: {matchLabels: {app: db}}
                topologyKey: zone
                matchLabelKeys: [app, tier]
                mismatchLabelKeys: [tier]
            preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 0
                podAffinityTerm: {topologyKey: zone}
              - weight: 10
`),
    ).toEqual([
      's.yaml:18:17: Pod "p": spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]: missing required field "topologyKey"',
      's.yaml:20:30: Pod "p": spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey: can not be empty',
      's.yaml:21:73: Pod "p": spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[2].labelSelector.matchExpressions[0].operator: "Equals" is not a valid selector operator (use In, NotIn, Exists or DoesNotExist)',
      's.yaml:24:33: Pod "p": spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[3].matchLabelKeys: must not be specified when labelSelector is not set',
      's.yaml:27:34: Pod "p": spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[4].matchLabelKeys[0]: "app" exists in both matchLabelKeys and labelSelector',
      's.yaml:27:39: Pod "p": spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[4].matchLabelKeys[1]: "tier" exists in both matchLabelKeys and mismatchLabelKeys',
      's.yaml:30:25: Pod "p": spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: must be in the range 1-100',
      's.yaml:32:17: Pod "p": spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[1]: missing required field "podAffinityTerm"',
    ]);
  });
});

describe('topologySpreadConstraints', () => {
  test('defaults: nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore, minDomains unset; matchLabelKeys merged', () => {
    const t = template(`        topologySpreadConstraints:
          - maxSkew: 1
            topologyKey: topology.kubernetes.io/zone
            whenUnsatisfiable: DoNotSchedule
            labelSelector: {matchLabels: {app: web}}
            matchLabelKeys: [pod-template-hash]
            minDomains: 3
          - maxSkew: 2
            topologyKey: kubernetes.io/hostname
            whenUnsatisfiable: ScheduleAnyway
            nodeAffinityPolicy: Ignore
            nodeTaintsPolicy: Honor
`);
    expect(t.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'pod-template-hash', operator: 'In', values: ['h1'] }] },
        minDomains: 3,
        nodeAffinityPolicy: 'Honor',
        nodeTaintsPolicy: 'Ignore',
      },
      {
        maxSkew: 2,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: null,
        minDomains: null,
        nodeAffinityPolicy: 'Ignore',
        nodeTaintsPolicy: 'Honor',
      },
    ]);
  });

  test('positioned errors (kube: validateTopologySpreadConstraints)', () => {
    expect(
      errors(`        topologySpreadConstraints:
          - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
          - {maxSkew: 1, topologyKey: "", whenUnsatisfiable: DoNotSchedule}
          - {maxSkew: 1, topologyKey: host, whenUnsatisfiable: Never}
          - {maxSkew: 1, topologyKey: rack, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}
          - {maxSkew: 1, topologyKey: rack, whenUnsatisfiable: DoNotSchedule, minDomains: 0}
          - {maxSkew: 1, topologyKey: rack, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: honor}  # also a duplicate of [4]
          - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [app]}  # and of [0]
          - {topologyKey: x, whenUnsatisfiable: DoNotSchedule}
`),
    ).toEqual([
      's.yaml:16:23: Pod "p": spec.topologySpreadConstraints[0].maxSkew: must be greater than zero',
      's.yaml:17:39: Pod "p": spec.topologySpreadConstraints[1].topologyKey: can not be empty',
      's.yaml:18:64: Pod "p": spec.topologySpreadConstraints[2].whenUnsatisfiable: unsupported value "Never": supported values: "DoNotSchedule", "ScheduleAnyway"',
      's.yaml:19:92: Pod "p": spec.topologySpreadConstraints[3].minDomains: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway',
      's.yaml:20:91: Pod "p": spec.topologySpreadConstraints[4].minDomains: must be greater than zero',
      's.yaml:21:13: Pod "p": spec.topologySpreadConstraints[5]: Duplicate value: {"rack", "DoNotSchedule"}',
      's.yaml:21:97: Pod "p": spec.topologySpreadConstraints[5].nodeTaintsPolicy: unsupported value "honor": supported values: "Honor", "Ignore"',
      's.yaml:22:13: Pod "p": spec.topologySpreadConstraints[6]: Duplicate value: {"zone", "DoNotSchedule"}',
      's.yaml:22:95: Pod "p": spec.topologySpreadConstraints[6].matchLabelKeys: must not be specified when labelSelector is not set',
      's.yaml:23:13: Pod "p": spec.topologySpreadConstraints[7]: missing required field "maxSkew"',
    ]);
  });
});
