// src/scenario/kube/field-table.ts is generated from @kubernetes/client-node's models (the
// Kubernetes v1.34 OpenAPI spec) by scripts/gen-kube-fields.mjs: the committed file must be
// what the script generates, and must describe every kind the simulator reads.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { generate, TABLE_FILE } from '../../scripts/gen-kube-fields.mjs';
import { KUBE_API_VERSION, KUBE_KINDS, KUBE_TYPES } from '../../src/scenario/kube/field-table.js';
import { SERVED } from '../../src/scenario/kube/objects.js';

describe('the Kubernetes field table', () => {
  test('the committed table is what scripts/gen-kube-fields.mjs generates (npm run gen:kube-fields)', async () => {
    expect(readFileSync(TABLE_FILE, 'utf8')).toBe(await generate());
  });

  test('it is the API of Kubernetes v1.34, the version the simulator emulates', () => {
    expect(KUBE_API_VERSION).toMatch(/^v1\.34\./);
    // Fields new in v1.34 are there (KEP-5307 container restart rules, KEP-4742 pod certificates) ...
    expect(KUBE_TYPES.V1Container!.restartPolicyRules).toBe('[]V1ContainerRestartRule');
    expect(KUBE_TYPES.V1VolumeProjection!.podCertificate).toBe('V1PodCertificateProjection');
    // ... and ObjectMeta.clusterName, removed in v1.25, is not.
    expect(KUBE_TYPES.V1ObjectMeta!.clusterName).toBeUndefined();
  });

  test('every kind the simulator reads, at the apiVersion it reads it', () => {
    expect(Object.fromEntries(Object.entries(KUBE_KINDS).map(([k, v]) => [k, v.apiVersion]))).toEqual(SERVED);
  });

  test('every type a field names is in the table', () => {
    for (const [name, fields] of Object.entries(KUBE_TYPES)) {
      for (const [field, t] of Object.entries(fields)) {
        const model = t.replace(/^(\[\]|\{\})+/, '');
        if (model !== '' && model !== '*') expect(KUBE_TYPES[model], `${name}.${field}: ${t}`).toBeDefined();
      }
    }
  });
});
