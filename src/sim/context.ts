// The shared state of one replication. Components are built in `simulation.ts`, each given
// this context, and call one another through it; only the simulation wires them.

import type { Engine } from './engine/engine.js';
import type { NodeTable } from './cluster/node-table.js';
import type { PodStore } from './cluster/pods.js';
import type { RandomStreams } from './random/streams.js';
import type { Scenario } from '../scenario/model.js';
import type { MeasureWindow } from './metrics/window.js';
import type { PodLifecycle } from './cluster/pod-lifecycle.js';
import type { WorkloadControllers } from './controllers/workloads.js';
import type { DaemonSetController } from './controllers/daemonset.js';
import type { SchedulingQueue } from './scheduler/scheduling-queue.js';
import type { DefaultPreemption } from './scheduler/default-preemption.js';
import type { PdbTracker } from './disruption/pdb.js';
import type { NodeLifecycle } from './controllers/node-lifecycle.js';
import type { Recorder } from './metrics/recorder.js';
import type { Drains } from './disruption/drain.js';
import type { Scheduler, SchedPod } from './scheduler/scheduler.js';
import type { Tracer } from './trace.js';
import type { ContainerRestarts } from './cluster/container-restarts.js';
import type { JobController } from './controllers/job.js';
import type { CronJobController } from './controllers/cronjob.js';
import type { StatefulSetController } from './controllers/statefulset.js';
import type { HpaController } from './controllers/hpa.js';
import type { Machines } from './failures/machine.js';
import type { Traffic } from './traffic/traffic.js';
import type { TimeseriesSampler } from './metrics/timeseries.js';

export interface SimContext {
  readonly scenario: Scenario;
  readonly engine: Engine;
  readonly nodes: NodeTable;
  readonly pods: PodStore;
  readonly streams: RandomStreams;
  readonly window: MeasureWindow;
  /** Compiled pod templates; template index == workload index. */
  readonly templates: SchedPod[];
  /** Resolved termination time per workload (behavior.shutdown, else terminationGracePeriodSeconds). */
  readonly shutdownS: Float64Array;
  scheduler: Scheduler;
  lifecycle: PodLifecycle;
  restarts: ContainerRestarts;
  workloads: WorkloadControllers;
  jobs: JobController;
  cronJobs: CronJobController;
  statefulSets: StatefulSetController;
  hpas: HpaController;
  daemonSets: DaemonSetController;
  queue: SchedulingQueue;
  /** kube-scheduler's PostFilter (DefaultPreemption). */
  preemption: DefaultPreemption;
  pdbs: PdbTracker;
  nodeLifecycle: NodeLifecycle;
  drains: Drains;
  machines: Machines;
  metrics: Recorder;
  traffic: Traffic;
  /** timeseries.csv sampling; null unless `output.timeseries` is set. */
  timeseries: TimeseriesSampler | null;
  trace: Tracer;
}
