// One replication of one scenario point: builds the cluster, wires the components, runs the
// engine to the horizon and returns the metrics. Pure with respect to (scenario, seed): the
// same inputs give the same records, whatever else runs in the process.

import type { Scenario } from '../scenario/model.js';
import type { SimContext } from './context.js';
import { Engine } from './engine/engine.js';
import { NodeTable } from './cluster/node-table.js';
import { nodeInits } from './cluster/node-inits.js';
import { PodStore } from './cluster/pods.js';
import { RandomStreams } from './random/streams.js';
import { MeasureWindow } from './metrics/window.js';
import { PodLifecycle } from './cluster/pod-lifecycle.js';
import { WorkloadControllers } from './controllers/workloads.js';
import { DaemonSetController } from './controllers/daemonset.js';
import { SchedulingQueue } from './scheduler/scheduling-queue.js';
import { DefaultPreemption } from './scheduler/default-preemption.js';
import { PdbTracker } from './disruption/pdb.js';
import { NodeLifecycle } from './controllers/node-lifecycle.js';
import { Drains } from './disruption/drain.js';
import { Recorder, type MetricRecord } from './metrics/recorder.js';
import { TimeseriesSampler, type TimeseriesData } from './metrics/timeseries.js';
import { Scheduler } from './scheduler/scheduler.js';
import { targetPods } from './scheduler/target-pods.js';
import { PodTopology, scenarioTopology } from './scheduler/topology/pod-topology.js';
import { NodeCrashes } from './failures/node-crash.js';
import { ZoneOutages } from './failures/zone-outage.js';
import { Machines } from './failures/machine.js';
import { RollingUpgrades } from './disruption/rolling-upgrade.js';
import { SpotInterruptions } from './failures/spot-interruption.js';
import { NodeChanges } from './cluster/node-changes.js';
import { ClusterAutoscaler } from './autoscaler/cluster-autoscaler.js';
import { Tracer, type TraceRow } from './trace.js';
import { ContainerRestarts } from './cluster/container-restarts.js';
import { JobController } from './controllers/job.js';
import { CronJobController } from './controllers/cronjob.js';
import { StatefulSetController } from './controllers/statefulset.js';
import { HpaController } from './controllers/hpa.js';
import { Traffic } from './traffic/traffic.js';
import { packedMap } from './packed.js';
import { beginReplicationArrays, endReplicationArrays } from './typed-arrays.js';

export interface ReplicationOptions {
  /** Record every event for events.csv. */
  trace?: boolean;
  /** Sample timeseries.csv when the scenario asks (default true; false skips it: `compare`). */
  timeseries?: boolean;
}

export interface ReplicationResult {
  metrics: MetricRecord[];
  eventsProcessed: number;
  trace: TraceRow[];
  /** timeseries.csv samples; null unless the scenario sets `output.timeseries`. */
  timeseries: TimeseriesData | null;
}

export function runReplication(scenario: Scenario, seed: number, opts: ReplicationOptions = {}): ReplicationResult {
  beginReplicationArrays(); // the replication's tables are cut from this thread's reused block
  try {
    return simulate(scenario, seed, opts);
  } finally {
    endReplicationArrays();
  }
}

function simulate(scenario: Scenario, seed: number, opts: ReplicationOptions): ReplicationResult {
  const inits = nodeInits(scenario);
  const nodes = new NodeTable(scenario.resourceNames.length, Math.max(16, inits.length));
  const streams = new RandomStreams(seed);
  const podTopology = new PodTopology(nodes, scenarioTopology(scenario.workloads), { capacity: inits.length });
  const scheduler = new Scheduler(
    nodes,
    {
      policy: scenario.scheduler.policy,
      percentageOfNodesToScore: scenario.scheduler.percentageOfNodesToScore,
      resourceNames: scenario.resourceNames,
      targetPods: targetPods(scenario, inits.length),
      podTopology,
    },
    streams.stream('scheduler'),
  );
  const templates = packedMap(scenario.workloads, (w, i) => scheduler.compile(w.template, w.kind === 'DaemonSet' ? 'daemonset' : 'pod', { name: w.key, topologyId: i }));
  const expectedPods = scenario.workloads.reduce((s, w) => s + (w.kind === 'DaemonSet' ? inits.length : w.replicas), 0);
  const ctx = {
    scenario,
    engine: new Engine(Math.max(1024, expectedPods * 2)),
    nodes,
    pods: new PodStore(Math.max(1024, Math.ceil(expectedPods * 1.25)), Math.max(64, inits.length)),
    streams,
    window: new MeasureWindow(scenario.warmupS, scenario.horizonS),
    templates,
    shutdownS: Float64Array.from(scenario.workloads, (w) => w.behavior.shutdownS ?? w.template.terminationGracePeriodS),
    scheduler,
    trace: new Tracer(opts.trace === true),
  } as SimContext;
  ctx.metrics = new Recorder(ctx);
  ctx.traffic = new Traffic(ctx, inits.length);
  const step = opts.timeseries === false ? null : scenario.output.timeseriesStepS;
  ctx.timeseries = step !== null ? new TimeseriesSampler(ctx.engine, scenario.warmupS, scenario.horizonS, step) : null;
  ctx.lifecycle = new PodLifecycle(ctx);
  ctx.restarts = new ContainerRestarts(ctx);
  ctx.pdbs = new PdbTracker(ctx);
  ctx.queue = new SchedulingQueue(ctx);
  ctx.preemption = new DefaultPreemption(ctx);
  ctx.workloads = new WorkloadControllers(ctx);
  ctx.jobs = new JobController(ctx);
  ctx.cronJobs = new CronJobController(ctx);
  ctx.statefulSets = new StatefulSetController(ctx);
  ctx.hpas = new HpaController(ctx);
  ctx.daemonSets = new DaemonSetController(ctx);
  ctx.nodeLifecycle = new NodeLifecycle(ctx);
  ctx.drains = new Drains(ctx);
  ctx.machines = new Machines(ctx);
  const crashes = new NodeCrashes(ctx, ctx.machines);
  const outages = new ZoneOutages(ctx, ctx.machines);
  const upgrades = new RollingUpgrades(ctx);
  const changes = new NodeChanges(ctx);
  changes.onNodeAdded((n) => crashes.onNodeAdded(n));
  const spot = new SpotInterruptions(ctx, changes);
  const clusterAutoscaler = scenario.autoscaling.cluster === null ? null : new ClusterAutoscaler(ctx, scenario.autoscaling.cluster, changes);

  try {
    ctx.metrics.start();
    ctx.traffic.start();
    if (ctx.timeseries !== null) {
      ctx.metrics.registerSeries(ctx.timeseries);
      ctx.traffic.registerSeries(ctx.timeseries);
      ctx.hpas.registerSeries(ctx.timeseries);
      ctx.timeseries.start();
    }
    for (const init of inits) {
      const n = nodes.add(init);
      ctx.metrics.onNodeAdded(n);
    }
    ctx.nodeLifecycle.start();
    ctx.daemonSets.start();
    ctx.workloads.start();
    ctx.jobs.start();
    ctx.cronJobs.start();
    ctx.statefulSets.start();
    ctx.hpas.start();
    crashes.start();
    outages.start();
    upgrades.start();
    spot.start();
    clusterAutoscaler?.start();
    ctx.drains.start();

    ctx.engine.run(scenario.horizonS);
    return {
      metrics: [...ctx.metrics.finish(), ...ctx.traffic.finish(), ...ctx.hpas.finish()],
      eventsProcessed: ctx.engine.eventsProcessed,
      trace: ctx.trace.rows,
      timeseries: ctx.timeseries?.finish() ?? null,
    };
  } finally {
    // Over (or failed): the biggest tables go to the next replication run in this thread.
    ctx.engine.recycleTables();
    ctx.pods.recycleTables();
    ctx.nodes.recycleTables();
  }
}
