import { describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { census, loadScenarioFile, loadScenarioText } from '../../src/scenario/load.js';
import { errorsOf, FIXTURES, loaded, scenario } from './helpers.js';

describe('loadScenarioFile', () => {
  const l = loaded(loadScenarioFile(`${FIXTURES}/basic/scenario.yaml`));

  test('name, file, warnings of skipped kinds, manifests in name order', () => {
    expect(l.name).toBe('web-drain');
    expect(l.file).toBe(`${FIXTURES}/basic/scenario.yaml`);
    expect(l.warnings).toEqual([
      `${FIXTURES}/basic/deploy/extra/gpu-train.yaml:19:1: warning: ConfigMap "trainer-config": skipped: kind ConfigMap (v1) is not used by the simulator`,
    ]);
    expect(l.points[0]!.scenario.warnings).toEqual(l.warnings);
    // deploy/extra/ < deploy/priority.yaml < deploy/web.yaml, then the inline workloads
    expect(l.points[0]!.scenario.workloads.map((w) => w.key)).toEqual(['Deployment/trainer', 'CronJob/db-backup', 'DaemonSet/node-exporter', 'Deployment/web', 'Pod/debug']);
  });

  test('census (DaemonSet pods counted as one per node)', () => {
    // nodes: general 6 + gpu 2 = 8; pods: trainer 1 + db-backup 0 (CronJob) + node-exporter 8
    // + web 6 (point 0) + debug 1 = 16
    expect(census(l.points[0]!.scenario)).toEqual({ nodes: 8, pods: 16, workloads: 5, pdbs: 1, pools: 2 });
    expect(census(l.points[2]!.scenario).pods).toBe(22); // web 12
  });

  test('sourceText holds the scenario and every manifest file', () => {
    expect(l.sourceText.startsWith('apiVersion: kubesim.dev/v1\n')).toBe(true);
    expect(l.sourceText).toContain(`# kubesim-des manifest: ${FIXTURES}/basic/deploy/web.yaml\napiVersion: apps/v1`);
    expect(l.sourceText).toContain(`# kubesim-des manifest: ${FIXTURES}/basic/deploy/priority.yaml\n`);
  });

  test('points do not share data', () => {
    const [a, b] = l.points;
    expect(a!.scenario.workloads).not.toBe(b!.scenario.workloads);
    expect(a!.scenario.workloads.find((w) => w.name === 'web')!.replicas).toBe(6);
    expect(b!.scenario.workloads.find((w) => w.name === 'web')!.replicas).toBe(9);
  });

  test('the same input loads to the same result', () => {
    const again = loaded(loadScenarioFile(`${FIXTURES}/basic/scenario.yaml`));
    expect(JSON.stringify(again)).toBe(JSON.stringify(l));
  });
});

describe('loadScenarioText', () => {
  test('manifest paths default to the folder of `file`', () => {
    const text = scenario('  manifests: [deploy/extra/]\n');
    const r = loaded(loadScenarioText(text, `${FIXTURES}/basic/inline.yaml`));
    expect(r.points[0]!.scenario.workloads.map((w) => w.key)).toEqual(['Deployment/trainer', 'CronJob/db-backup']);
    // web's pods name the PriorityClass "high" of priority.yaml, which this scenario does not read
    expect(errorsOf(loadScenarioText(text.replace('extra/', 'web.yaml'), `${FIXTURES}/basic/inline.yaml`))).toEqual([
      `${FIXTURES}/basic/deploy/web.yaml:14:26: Deployment "web": spec.template.spec.priorityClassName: no PriorityClass with name "high" was found`,
    ]);
  });

  test('a dangling link in a manifests folder is named, not the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-links-'));
    mkdirSync(join(dir, 'm'));
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'm', 'web.yaml'));
    expect(errorsOf(loadScenarioText(scenario('  manifests: [m/]\n'), join(dir, 's.yaml')))).toEqual([
      expect.stringMatching(/s\.yaml:\d+:\d+: spec\.manifests\[0\]: cannot read "m\/web\.yaml": no such file or directory \(ENOENT\)$/),
    ]);
  });

  test('a long value is quoted by its start', () => {
    const [e] = errorsOf(loadScenarioText(`${'x'.repeat(5000)}\n`, 'long.yaml'));
    expect(e).toBe(`long.yaml:1:1: the scenario must be a map, got "${'x'.repeat(80)}"... (5000 characters)`);
  });

  test('an empty file', () => {
    expect(errorsOf(loadScenarioText('# nothing\n', 'e.yaml'))).toEqual(['e.yaml:1:1: the file is empty: expected a document of kind Scenario (apiVersion: kubesim.dev/v1)']);
  });
});
