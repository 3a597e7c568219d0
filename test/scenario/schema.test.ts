import { Ajv } from 'ajv';
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { buildScenarioSchema, DISRUPTION_TYPES, FAILURE_TYPES, scenarioJsonSchema } from '../../src/scenario/schema.js';
import { FIXTURES } from './helpers.js';

function editorValidator() {
  return new Ajv({ strict: true, allowUnionTypes: true, allErrors: true }).compile(scenarioJsonSchema());
}

describe('scenarioJsonSchema (for editors)', () => {
  test('is a valid draft-07 schema that accepts the example scenario', () => {
    const v = editorValidator();
    const doc: unknown = parse(fs.readFileSync(`${FIXTURES}/basic/scenario.yaml`, 'utf8'));
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
  });

  test('checks durations, quantities and distributions with patterns', () => {
    const v = editorValidator();
    const base = (spec: Record<string, unknown>) => ({ apiVersion: 'kubesim.dev/v1', kind: 'Scenario', spec: { horizon: '1d', ...spec } });
    expect(v(base({ warmup: '1h30m' }))).toBe(true);
    expect(v(base({ warmup: '7x' }))).toBe(false);
    expect(v(base({ cluster: { nodePools: [{ name: 'a', count: 1, capacity: { cpu: '12K', memory: '1Gi' } }] } }))).toBe(false);
    expect(v(base({ cluster: { nodePools: [{ name: 'a', count: 1, capacity: { cpu: '500m', memory: '1.5Gi', 'nvidia.com/gpu': 8 } }] } }))).toBe(true);
    expect(v(base({ behavior: [{ startup: { dist: 'lognormal', median: '8s', p99: '40s' } }] }))).toBe(true);
    expect(v(base({ behavior: [{ startup: { dist: 'lognormal', medain: '8s' } }] }))).toBe(false);
    expect(v(base({ failures: [{ type: 'zone-outage', zone: 'a', at: '3d', duration: '2h' }] }))).toBe(true); // valid, not simulated yet
    expect(v(base({ failures: [{ type: 'node-crsh' }] }))).toBe(false);
  });

  test('documents the fields', () => {
    const s = scenarioJsonSchema() as { properties: { spec: { properties: Record<string, { description?: string }> } } };
    const spec = s.properties.spec.properties;
    for (const k of ['horizon', 'warmup', 'seed', 'replications', 'scheduler', 'cluster', 'manifests', 'workloads', 'behavior', 'slo', 'failures', 'disruptions', 'sweep', 'output']) {
      expect(spec[k]?.description, k).toBeTruthy();
    }
    expect(JSON.parse(JSON.stringify(scenarioJsonSchema()))).toEqual(scenarioJsonSchema()); // plain JSON
  });

  test('lists every failure and disruption type of the SPEC', () => {
    const text = JSON.stringify(scenarioJsonSchema());
    for (const t of [...FAILURE_TYPES, ...DISRUPTION_TYPES]) expect(text).toContain(`"const":"${t}"`);
  });

  test('the validation variant compiles with the discriminator', () => {
    expect(() => new Ajv({ strict: true, allowUnionTypes: true, discriminator: true }).compile(buildScenarioSchema('validate'))).not.toThrow();
  });
});
