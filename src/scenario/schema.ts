// The JSON Schema of the scenario file (draft-07), one source for two uses:
//
// - `scenarioJsonSchema()`: printed by `kubesim-des schema` for editor completion and
//   checking (descriptions, enums, patterns for durations and quantities, one branch per
//   failure / disruption type);
// - the loader's structural pass (mode 'validate'): the same objects with
//   `additionalProperties: false`, types, enums and ranges, but durations, quantities and
//   distributions only type-checked, because their parsers (duration.ts, quantity.ts,
//   distribution.ts) give better messages than a regular expression mismatch.
//
// Kubernetes objects (spec.workloads, spec.cluster.nodes) are only required to be objects with
// apiVersion and kind: real manifests carry many fields, and kube/*.ts check those they use.
// In 'validate' mode the value-parsing definitions carry a `$comment` naming their kind, so
// type errors can say "must be a duration" rather than "must be string or number".

import { MAX_NODES } from './cluster.js';

type Schema = Record<string, unknown>;
export type SchemaMode = 'editor' | 'validate';

export const SCENARIO_API_VERSION = 'kubesim.dev/v1';

export const FAILURE_TYPES = ['node-crash', 'zone-outage', 'spot-interruption'] as const;
export const DISRUPTION_TYPES = ['drain', 'rolling-node-upgrade', 'rollout'] as const;
export const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'] as const;

const DURATION_PATTERN = '^(?:\\d+(?:\\.\\d*)?|\\.\\d+)$|^\\+?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h|d|w))+$';
const QUANTITY_PATTERN = '^[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[numkMGTPE]|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\\d+)?$';

function obj(description: string, properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  const s: Schema = { type: 'object', description, properties, additionalProperties: false, ...extra };
  if (required.length > 0) s.required = required;
  return s;
}

function list(description: string, items: Schema, extra: Schema = {}): Schema {
  return { type: 'array', description, items, ...extra };
}

function str(description: string, extra: Schema = {}): Schema {
  return { type: 'string', description, ...extra };
}

function int(description: string, extra: Schema = {}): Schema {
  return { type: 'integer', description, ...extra };
}

function bool(description: string): Schema {
  return { type: 'boolean', description };
}

function ref(name: string, description?: string): Schema {
  return description === undefined ? { $ref: `#/definitions/${name}` } : { description, allOf: [{ $ref: `#/definitions/${name}` }] };
}

function definitions(mode: SchemaMode): Record<string, Schema> {
  const editor = mode === 'editor';
  const duration: Schema = editor
    ? {
        description: 'A duration: 90s, 5m, 1h30m, 7d, 2w, 250ms, 1.5h, or a number of seconds.',
        anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }],
        examples: ['30s', '5m', '1h30m', '7d'],
      }
    : { type: ['string', 'number'], $comment: 'duration' };
  const quantity: Schema = editor
    ? {
        description: 'A Kubernetes quantity: 500m, 2, 1.5Gi, 100M, 1e3 (suffixes are case-sensitive).',
        anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: QUANTITY_PATTERN }],
        examples: ['500m', '2', '1.5Gi', '128Gi'],
      }
    : { type: ['string', 'number'], $comment: 'quantity' };
  const intOrPercent: Schema = editor
    ? {
        description: 'An integer or a percentage such as "25%".',
        anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\d+%$' }],
      }
    : { type: ['integer', 'string'], $comment: 'intOrPercent' };
  const distObject = (dist: string, description: string, props: Record<string, Schema>, required: string[]): Schema =>
    obj(description, { dist: { const: dist }, ...props }, ['dist', ...required]);
  const d = ref('duration');
  const distribution: Schema = editor
    ? {
        description:
          'A time distribution: a bare duration, or {dist: fixed|exponential|uniform|normal|lognormal|weibull|empirical, ...}.',
        anyOf: [
          ref('duration'),
          {
            type: 'object',
            required: ['dist'],
            properties: { dist: { enum: ['fixed', 'exponential', 'uniform', 'normal', 'lognormal', 'weibull', 'empirical'] } },
            oneOf: [
              distObject('fixed', 'Always the same time.', { value: d }, ['value']),
              distObject('exponential', 'Exponential with this mean.', { mean: d }, ['mean']),
              distObject('uniform', 'Uniform between min and max.', { min: d, max: d }, ['min', 'max']),
              distObject('normal', 'Normal, truncated at 0.', { mean: d, stddev: d }, ['mean', 'stddev']),
              distObject(
                'lognormal',
                'Lognormal, by {median, p99} or by the parameters {mu, sigma} of ln(seconds).',
                { median: d, p99: d, mu: { type: 'number' }, sigma: { type: 'number', minimum: 0 } },
                [],
              ),
              distObject('weibull', 'Weibull with a unitless shape and a time scale.', { shape: { type: 'number', exclusiveMinimum: 0 }, scale: d }, ['shape', 'scale']),
              distObject('empirical', 'Uniformly one of the listed times.', { values: { type: 'array', items: d, minItems: 1 } }, ['values']),
            ],
          },
        ],
        examples: ['8s', { dist: 'lognormal', median: '8s', p99: '40s' }],
      }
    : { type: ['string', 'number', 'object'], $comment: 'distribution' };

  const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
  const kubeObject: Schema = {
    type: 'object',
    description: 'A Kubernetes object (apiVersion, kind, metadata, spec), as in a manifest file.',
    required: ['apiVersion', 'kind'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
  };
  const taint = obj(
    'A Kubernetes taint.',
    {
      key: str('Taint key.'),
      value: str('Taint value.'),
      effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], description: 'Taint effect.' },
    },
    ['key', 'effect'],
  );
  const match = obj('Selects workloads by kind and/or name (all given fields must match).', {
    kind: { enum: [...WORKLOAD_KINDS], description: 'Workload kind.' },
    name: str('metadata.name of the workload.'),
    namespace: str('metadata.namespace of the workload (default: any).'),
  });
  return {
    duration,
    quantity,
    intOrPercent,
    distribution,
    stringMap,
    kubeObject,
    taint,
    match,
  };
}

/**
 * An entry applies to the nodes in both `pools` and `names`; an empty list is refused (omit it).
 * Editors get `minItems`; the loader says it in failures.ts readTarget, with the way out.
 */
function targetLists(mode: SchemaMode, pools: string, names: string): { pools: Schema; names: Schema } {
  const nonEmpty = mode === 'editor' ? { minItems: 1 } : {};
  return { pools: list(pools, { type: 'string' }, nonEmpty), names: list(names, { type: 'string' }, nonEmpty) };
}

function failureSchemas(mode: SchemaMode): Schema[] {
  const d = ref('duration');
  const target = targetLists(mode, 'Node pools whose nodes this applies to (omit: every pool).', 'Node names this applies to (with `pools`: those in the pools).');
  return [
    obj(
      'Node crashes: recurring (mtbf, per node) or one-off (at); the node comes back after `repair`.',
      {
        type: { const: 'node-crash' },
        ...target,
        mtbf: ref('distribution', 'Time between failures of each node; a bare duration is exponential with that mean.'),
        at: ref('duration', 'One scheduled crash at this simulated time.'),
        repair: ref('distribution', 'Time until the node is back (default: 1h fixed).'),
      },
      ['type'],
    ),
    obj(
      'Every node of a zone goes down at `at` and comes back after `duration`.',
      { type: { const: 'zone-outage' }, zone: str('Zone name.'), at: d, duration: d },
      ['type'],
    ),
    obj(
      'Spot interruptions: per node, after a time drawn from `mtbf`, a notice (default 2m) during which the node is drained through PDBs; at the deadline the node is gone whatever the PDBs say, and a replacement joins the pool after its provisioningTime.',
      { type: { const: 'spot-interruption' }, ...target, mtbf: ref('distribution'), notice: d },
      ['type'],
    ),
  ];
}

function disruptionSchemas(mode: SchemaMode): Schema[] {
  const d = ref('duration');
  const target = targetLists(mode, 'Node pools to pick nodes from (omit: every pool).', 'Node names to drain (with `pools`: those in the pools).');
  return [
    obj(
      'kubectl drain --ignore-daemonsets of several nodes in parallel: cordon, then evict through the eviction API (PDB-gated).',
      {
        type: { const: 'drain' },
        at: ref('duration', 'When the drain starts.'),
        nodes: int('Drain this many random nodes of the target.', { minimum: 1 }),
        ...target,
        timeout: ref('duration', 'kubectl drain --timeout (default: wait forever; 0 also means forever).'),
        force: bool('kubectl drain --force: also delete pods that no controller manages.'),
        deleteEmptyDirData: bool('kubectl drain --delete-emptydir-data.'),
        uncordonAfter: ref('duration', 'Uncordon this long after the drain completes (default: stay cordoned).'),
      },
      ['type', 'at'],
    ),
    obj(
      'Cordon + PDB-gated drain + reimage, maxUnavailable nodes at a time.',
      {
        type: { const: 'rolling-node-upgrade' },
        pools: target.pools,
        at: d,
        maxUnavailable: ref('intOrPercent', 'Nodes upgraded at once (default 1; a percentage of the target nodes, rounded down, at least 1).'),
        drainTimeout: d,
        onDrainTimeout: { enum: ['force', 'skip'], description: 'At drainTimeout: force (delete the remaining pods, ignoring PDBs, and reimage) or skip (uncordon, leave the node unupgraded). Default force.' },
        reimage: d,
      },
      ['type'],
    ),
    obj(
      'A rollout of a Deployment: its pod template changes at `at` and the update runs to completion under its strategy.',
      { type: { const: 'rollout' }, workload: str('KIND/NAME of the workload.'), at: d },
      ['type'],
    ),
  ];
}

function discriminated(title: string, description: string, branches: Schema[], mode: SchemaMode): Schema {
  const types = branches.map((b) => ((b.properties as Record<string, Schema>).type as Schema).const);
  const s: Schema = { type: 'object', title, description, required: ['type'], properties: { type: { type: 'string', examples: types } }, oneOf: branches };
  // ajv's `discriminator` validates only the branch named by `type` (one clear error instead of
  // one per branch); editors ignore the keyword and use the `const`s.
  if (mode === 'validate') s.discriminator = { propertyName: 'type' };
  return s;
}

function specSchema(mode: SchemaMode): Schema {
  const pool = obj(
    'A pool of identical nodes named <pool>-<index>.',
    {
      name: str('Pool name; nodes are named <name>-0, <name>-1, ...', mode === 'editor' ? { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' } : {}),
      // Editors get the bound; the loader says why (cluster.ts MAX_NODES).
      count: int(`Number of nodes (at most ${MAX_NODES} in all).`, mode === 'editor' ? { minimum: 0, maximum: MAX_NODES } : { minimum: 0 }),
      capacity: {
        type: 'object',
        description: 'Allocatable resources of each node: cpu, memory, pods (default 110), ephemeral-storage, and extended resources such as nvidia.com/gpu.',
        properties: {
          cpu: ref('quantity', 'CPU, e.g. "32" or "31500m".'),
          memory: ref('quantity', 'Memory in bytes, e.g. 128Gi.'),
          pods: int('Maximum pods per node (kubelet maxPods).', { minimum: 0 }),
          'ephemeral-storage': ref('quantity', 'Local ephemeral storage in bytes.'),
        },
        additionalProperties: ref('quantity'),
        required: ['cpu', 'memory'],
      },
      zones: list('Zones, assigned round-robin; sets topology.kubernetes.io/zone.', { type: 'string' }, { minItems: 1 }),
      labels: ref('stringMap', 'Node labels.'),
      taints: list('Node taints.', ref('taint')),
      provisioningTime: ref('duration', 'Time to bring up a node added by the autoscaler or replacing a failed one (default 0).'),
    },
    ['name', 'count', 'capacity'],
  );

  const behavior = obj(
    'Simulation-only facts about the workloads it matches; later rules override earlier ones field by field.',
    {
      match: ref('match'),
      matchLabels: ref('stringMap', 'Matches workloads whose pod template has these labels.'),
      startup: ref('distribution', 'Pod create (bound) -> Ready (default 0).'),
      crash: obj('Container crashes while running; CrashLoopBackOff rules apply.', {
        mtbf: ref('distribution', 'Time between crashes; a bare duration is exponential with that mean.'),
      }, ['mtbf']),
      runtime: ref('distribution', 'Jobs: time for one pod to complete.'),
      shutdown: ref('duration', 'Time to terminate once deleted (default: terminationGracePeriodSeconds).'),
    },
  );
  const slo = obj('Availability target of the workloads it matches.', {
    match: ref('match'),
    matchLabels: ref('stringMap', 'Matches workloads whose pod template has these labels.'),
    minReady: ref('intOrPercent', 'Ready pods needed to count as available (default 1).'),
  });
  const traffic = obj('Poisson requests to a service, served by its Ready pods.', {
    service: str('A Service manifest name (its spec.selector picks the workloads), or a workload name (KIND/NAME when ambiguous).'),
    rate: { type: ['string', 'number'], description: 'Poisson arrival rate: 2000/s, 120/m, 5/h, or a number per second.' },
    serviceTime: ref('distribution', 'Time to serve one request.'),
    concurrency: int('Requests one ready pod serves at once (default 1).', { minimum: 1 }),
    mode: { enum: ['fast', 'exact'], description: 'fast: M/M/c (Erlang C, Allen-Cunneen) between changes of the Ready count; exact: every request simulated. Default: exact when rate x horizon <= 100000 requests, else fast.' },
    maxQueue: int('Waiting places in front of the pods; arrivals finding them full are dropped (default: bounded by the timeout only).', { minimum: 0 }),
    timeout: ref('duration', 'A request still waiting after this long is dropped (default 60s).'),
  }, ['service', 'rate', 'serviceTime']);
  const autoscaling = obj('Autoscalers.', {
    cluster: obj(
      'Cluster autoscaler (cluster-autoscaler): adds pool nodes for unschedulable pods, removes underused ones.',
      {
        pools: list('Pools it may resize (node groups).', { type: 'string' }, { minItems: 1 }),
        min: int('Minimum nodes per pool (default 0).', { minimum: 0 }),
        max: int(`Maximum nodes per pool (at most ${MAX_NODES}).`, mode === 'editor' ? { minimum: 0, maximum: MAX_NODES } : { minimum: 0 }),
        scaleDownUtilization: { type: 'number', minimum: 0, maximum: 1, description: 'Nodes whose max(cpu, memory) requested/allocatable is below this are unneeded (default 0.5).' },
        scaleDownDelay: ref('duration', 'How long a node must be unneeded before removal (--scale-down-unneeded-time, default 10m).'),
        scaleDownDelayAfterAdd: ref('duration', 'Scale-down pause after a scale-up (default 10m).'),
        scanInterval: ref('duration', 'Time between autoscaler loops (default 10s).'),
        maxGracefulTermination: ref('duration', 'Drain timeout of a node being removed (default 600s).'),
      },
      ['pools', 'max'],
    ),
  });
  const sweep = obj(
    'One axis of the sweep grid: a path into spec and its values.',
    {
      set: str('Dot path into spec; list elements by [KIND/NAME], [NAME] or [INDEX], e.g. workloads[Deployment/web].spec.replicas.'),
      values: list('Values of this axis.', {}, { minItems: 1 }),
    },
    ['set', 'values'],
  );

  return obj(
    'What to simulate.',
    {
      horizon: ref('duration', 'Simulated time per replication.'),
      warmup: ref('duration', 'Initial time excluded from statistics (default 0; less than horizon).'),
      seed: int('Base random seed (default 1).', { minimum: 0 }),
      replications: int('Independent replications per sweep point (default 1).', { minimum: 1 }),
      scheduler: obj('Scheduler configuration.', {
        policy: str('Scoring policy (default kube-default), or ./module.js exporting a score function.', {
          examples: ['kube-default', 'least-allocated', 'most-allocated', 'balanced-allocation', 'first-fit', 'best-fit', 'random', 'gpu-packing', 'gpu-clustering', 'fgd', './my-policy.js'],
        }),
        percentageOfNodesToScore: int('0 = kube-scheduler adaptive rule.', { minimum: 0, maximum: 100 }),
      }),
      cluster: obj('The nodes.', {
        nodePools: list('Pools of identical nodes.', pool),
        nodes: list('Explicit v1 Node manifests (status.allocatable, labels, taints, unschedulable).', ref('kubeObject')),
      }),
      manifests: list('Files or folders of Kubernetes YAML, relative to this file; folders are read recursively in name order.', { type: 'string' }),
      workloads: list('Kubernetes manifests inline (Deployment, ReplicaSet, DaemonSet, Pod, PodDisruptionBudget, PriorityClass, Node, ...).', ref('kubeObject')),
      behavior: list('Simulation-only facts about workloads, matched by selector.', behavior),
      slo: list('Availability targets.', slo),
      failures: list('Unplanned failures.', discriminated('failure', 'A failure; `type` selects its kind.', failureSchemas(mode), mode)),
      disruptions: list('Planned disruptions.', discriminated('disruption', 'A disruption; `type` selects its kind.', disruptionSchemas(mode), mode)),
      traffic: list('Request traffic to services.', traffic),
      autoscaling,
      sweep: list('Grid of parameter values; every point runs `replications` times.', sweep),
      output: obj('Outputs.', { timeseries: ref('duration', 'Sampling step of timeseries.csv; omit to skip it.') }),
    },
    ['horizon'],
  );
}

export function buildScenarioSchema(mode: SchemaMode): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://kubesim.dev/schemas/scenario-v1.json',
    title: 'kubesim-des Scenario',
    description: 'A discrete-event simulation scenario of a Kubernetes cluster (kubesim-des).',
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'spec'],
    properties: {
      apiVersion: { const: SCENARIO_API_VERSION, description: 'Always kubesim.dev/v1.' },
      kind: { const: 'Scenario', description: 'Always Scenario.' },
      metadata: obj('Scenario identity.', {
        name: str('Scenario name; names the result folder (default: the file name).', { minLength: 1 }),
        description: str('Free text.'),
        labels: ref('stringMap'),
        annotations: ref('stringMap'),
      }),
      spec: specSchema(mode),
    },
    definitions: definitions(mode),
  };
}

/** The JSON Schema of scenario files, for editors (`kubesim-des schema`). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return buildScenarioSchema('editor');
}
