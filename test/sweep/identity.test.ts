// inputsHash (src/sweep/identity.ts): equal exactly when the inputs that decide a task's numbers
// are: the scenario text, the --set overrides in order, the policy modules' text (not their path).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText, type Override } from '../../src/scenario/load.js';
import { inputsHash } from '../../src/sweep/identity.js';

const SCORE = 'export function score(pod, node) { return 50; }\n';

function scenarioText(policy: string, horizon = '1h'): string {
  return `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: p}
spec:
  horizon: ${horizon}
  scheduler: {policy: ${policy}}
  cluster:
    nodePools: [{name: g, count: 3, capacity: {cpu: "4", memory: 8Gi}}]
  sweep:
    - {set: warmup, values: [0s, 10m]}
`;
}

/** A folder holding s.yaml (with `text`) and policy.js (with `module`); returns s.yaml's inputsHash. */
function hashOf(text: string, overrides: Override[] = [], module = SCORE): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-identity-'));
  writeFileSync(join(dir, 'policy.js'), module);
  const r = loadScenarioText(text, join(dir, 's.yaml'), overrides);
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return inputsHash(r.loaded);
}

describe('inputsHash', () => {
  const base = hashOf(scenarioText('kube-default'));

  it('is a sha256 in hex, the same for the same inputs, wherever the scenario folder is', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(scenarioText('kube-default'))).toBe(base); // another temporary folder
    expect(hashOf(scenarioText('./policy.js'))).toBe(hashOf(scenarioText('./policy.js')));
  });

  it('changes with the scenario text', () => {
    expect(hashOf(scenarioText('kube-default', '2h'))).not.toBe(base);
  });

  it('changes with a --set override, its value, and the order of two of the same path (the later wins)', () => {
    const a = hashOf(scenarioText('kube-default'), [{ path: 'horizon', value: '2h' }]);
    expect(a).not.toBe(base);
    expect(hashOf(scenarioText('kube-default'), [{ path: 'horizon', value: '3h' }])).not.toBe(a);
    const twice = [{ path: 'horizon', value: '2h' }, { path: 'horizon', value: '3h' }];
    expect(hashOf(scenarioText('kube-default'), twice)).not.toBe(hashOf(scenarioText('kube-default'), [...twice].reverse()));
  });

  it("changes with a policy module's text, also one named by --set", () => {
    const spread = hashOf(scenarioText('./policy.js'));
    expect(hashOf(scenarioText('./policy.js'), [], SCORE.replace('50', '60'))).not.toBe(spread);
    const set = [{ path: 'scheduler.policy', value: './policy.js' }];
    expect(hashOf(scenarioText('kube-default'), set)).not.toBe(hashOf(scenarioText('kube-default'), set, SCORE.replace('50', '60')));
  });
});
