// deploy/kubernetes: the Indexed Job runs one shard per completion index, the shard count it
// passes (KUBESIM_SHARDS) matches its completions, and results land on the mounted volume.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const DIR = 'deploy/kubernetes';

interface Container { args?: string[]; command?: string[]; image?: string; env?: { name: string; value?: string }[]; volumeMounts?: { name: string; mountPath: string }[] }
interface K8sDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template?: { spec: { containers: Container[]; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] } };
  };
}

function docs(file: string): K8sDoc[] {
  const all = parseAllDocuments(readFileSync(`${DIR}/${file}`, 'utf8'));
  for (const d of all) expect(d.errors, `${file}: ${d.errors.map((e) => e.message).join('; ')}`).toEqual([]);
  return all.map((d) => d.toJS() as K8sDoc);
}

const workdir = /^WORKDIR\s+(\S+)\s*$/m.exec(readFileSync(`${DIR}/Dockerfile`, 'utf8').split(/^FROM /m).at(-1)!)?.[1];

describe('deploy/kubernetes', () => {
  it('sweep-job.yaml is an Indexed Job whose completions (and parallelism) equal its KUBESIM_SHARDS', () => {
    const all = docs('sweep-job.yaml');
    const job = all.find((d) => d.kind === 'Job')!;
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec.completionMode).toBe('Indexed');
    const c = job.spec.template!.spec.containers[0]!;
    const shards = c.env?.find((e) => e.name === 'KUBESIM_SHARDS')?.value;
    expect(shards).toMatch(/^\d+$/);
    expect(job.spec.completions).toBe(Number(shards));
    expect(job.spec.parallelism).toBe(Number(shards));
    // --shard would override JOB_COMPLETION_INDEX and --out the shard folder layout merge expects.
    expect(c.args).not.toContain('--shard');
    expect(c.args).not.toContain('--out');
    expect(c.args!.slice(0, 2)[0]).toBe('run');
    expect(existsSync(c.args![1]!)).toBe(true);
    expect(c.args!.join(' ')).toContain('--replications 100000');
    expect(c.args).toContain('--resume'); // a retried index picks up its finished tasks
    // run writes results/<name>/shard-I-of-N under the working directory: the volume is there.
    const mount = c.volumeMounts!.find((m) => m.mountPath === `${workdir}/results`);
    expect(mount, `a volume mounted at ${workdir}/results`).toBeDefined();
    const vol = job.spec.template!.spec.volumes!.find((v) => v.name === mount!.name)!;
    const pvc = all.find((d) => d.kind === 'PersistentVolumeClaim')!;
    expect(vol.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);
  });

  it('merge-job.yaml merges exactly the N shard folders the sweep writes', () => {
    const sweep = docs('sweep-job.yaml').find((d) => d.kind === 'Job')!;
    const n = sweep.spec.completions!;
    const name = /metadata: \{name: ([\w-]+)\}/.exec(readFileSync(sweep.spec.template!.spec.containers[0]!.args![1]!, 'utf8'))![1];
    const merge = docs('merge-job.yaml')[0]!;
    const c = merge.spec.template!.spec.containers[0]!;
    expect(c.image).toBe(sweep.spec.template!.spec.containers[0]!.image);
    expect(c.args!.join(' ')).toContain(`merge results/${name}/shard-*-of-${n} `);
    expect(c.volumeMounts![0]!.mountPath).toBe(`${workdir}/results`);
  });
});
