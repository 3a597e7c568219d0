// preemptionPolicy at the boundary: PriorityClass.preemptionPolicy (kube: SetDefaults_PriorityClass,
// ValidatePriorityClass) and the pod's spec.preemptionPolicy, which priority admission
// (plugin/pkg/admission/priority admitPod) fills from the class and refuses when it disagrees.
import { describe, expect, test } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const pc = (name: string, rest: string): string => `    - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: ${name}}, ${rest}}\n`;
const pod = (name: string, spec: string): string => `    - {apiVersion: v1, kind: Pod, metadata: {name: ${name}}, spec: {${spec}containers: [{name: c}]}}\n`;
const objects = (text: string) => load(scenario(`  workloads:\n${text}`));

describe('preemptionPolicy', () => {
  test('defaults to PreemptLowerPriority; Never comes from the class; the pod may repeat it', () => {
    const s = loaded(
      objects(
        pc('low', 'value: 1') +
          pc('polite', 'value: 100, preemptionPolicy: Never') +
          pod('a', 'priorityClassName: low, ') +
          pod('b', 'priorityClassName: polite, ') +
          pod('c', 'priorityClassName: polite, preemptionPolicy: Never, '),
      ),
    ).points[0]!.scenario;
    expect(s.workloads.map((w) => [w.name, w.template.preemptionPolicy])).toEqual([
      ['a', 'PreemptLowerPriority'],
      ['b', 'Never'],
      ['c', 'Never'],
    ]);
  });

  test('a bad value or a pod that disagrees with its class is a positioned error', () => {
    expect(
      errorsOf(
        objects(
          pc('odd', 'value: 5, preemptionPolicy: Sometimes') +
            pc('polite', 'value: 100, preemptionPolicy: Never') +
            pod('d', 'priorityClassName: polite, preemptionPolicy: PreemptLowerPriority, '),
        ),
      ),
    ).toEqual([
      // Column 114 is the value: 7 ("    - {") + 34 + 21 + 23 + 10 ("value: 5, ") + 18 ("preemptionPolicy: ") + 1.
      's.yaml:10:114: PriorityClass "odd": preemptionPolicy: unsupported value "Sometimes": supported values: "Never", "PreemptLowerPriority"',
      's.yaml:12:108: Pod "d": spec.preemptionPolicy: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
    ]);
  });
});
