// HorizontalPodAutoscaler worked by hand (kube: pkg/controller/podautoscaler). Pods request
// 500m cpu; the traffic service has concurrency 10 and mean service time 0.1 s, so one pod
// serves 100 req/s and U = lambda / (100 x serving pods) while below 1.
import { describe, expect, it } from 'vitest';
import { nodePool, podTemplate, scenario, traffic, workload } from '../../src/bench/synthetic.js';
import type { HorizontalPodAutoscaler } from '../../src/scenario/model.js';
import {
  convertDesiredReplicasWithRules,
  getResourceReplicas,
  scaleDownLimitWithRules,
  scaleUpLimitWithRules,
  stabilizeRecommendation,
  Timestamped,
  type PodGroups,
} from '../../src/sim/controllers/hpa.js';
import { run } from '../support/sim.js';

const groups = (ready: number, pct: number, more: Partial<PodGroups> = {}): PodGroups => ({
  ready,
  readyUsageMilli: ready * 5 * pct, // 500m x pct / 100
  unready: 0,
  missing: 0,
  total: ready + (more.unready ?? 0) + (more.missing ?? 0),
  ...more,
});

describe('GetResourceReplicas (request 500m)', () => {
  it.each([
    // [case, current, target %, groups, expected]
    ['90% vs 50%, 4 ready: ratio 1.8, ceil(1.8 x 4) = 8', 4, 50, groups(4, 90), 8],
    ['54% vs 50%: ratio 1.08 within the 0.1 tolerance: keep', 4, 50, groups(4, 54), 4],
    ['45% vs 50%: ratio 0.9, on the tolerance edge: keep', 4, 50, groups(4, 45), 4],
    ['44% vs 50%: ratio 0.88, ceil(0.88 x 4) = ceil(3.52) = 4', 5, 50, groups(4, 44), 4],
    ['18% vs 50%, 10 ready: ratio 0.36, ceil(3.6) = 4', 10, 50, groups(10, 18), 4],
    // unready pods count 0% on a scale-up: (2 x 450) x 100 / (4 x 500) = 45 -> 0.9: keep
    ['2 ready at 90%, 2 unready: recomputed 45% is within tolerance', 4, 50, groups(2, 90, { unready: 2 }), 4],
    // (3 x 500) x 100 / (4 x 500) = 75 -> 1.5, ceil(1.5 x 4) = 6
    ['3 ready at 100%, 1 unready: recomputed 75%, ceil(1.5 x 4) = 6', 4, 50, groups(3, 100, { unready: 1 }), 6],
    // ratio 0.4 < 1: missing at max(100, 50)% = 500m each: (200 + 1000) x 100 / 2000 = 60 ->
    // 1.2 crosses 1: keep
    ['2 ready at 20%, 2 missing: the recomputed ratio crosses 1: keep', 4, 50, groups(2, 20, { missing: 2 }), 4],
    // ratio 10 / 80 = 0.125; missing at 100%: (150 + 500) x 100 / 2000 = 32 -> 0.4, ceil(1.6) = 2
    ['3 ready at 10% vs 80%, 1 missing: ceil(0.4 x 4) = 2', 4, 80, groups(3, 10, { missing: 1 }), 2],
    // ratio 2 > 1: missing at 0%: 1000 x 100 / 2000 = 50 -> 1.0: keep
    ['2 ready at 100%, 2 missing: missing count 0% on a scale-up', 4, 50, groups(2, 100, { missing: 2 }), 4],
    ['no ready pod: no metrics, an error (-1)', 4, 50, groups(0, 0, { unready: 4 }), -1],
    ['no pods at all: an error (-1)', 4, 50, groups(0, 0), -1],
  ])('%s', (_name, current, target, g, want) => {
    expect(getResourceReplicas(current, target, 500, g)).toBe(want);
  });

  it('utilization is an integer percent, truncated (GetResourceUtilizationRatio)', () => {
    // 4 pods using 1252m of 2000m: 1252 x 100 / 2000 = 62.6 -> 62; 62 / 50 = 1.24;
    // ceil(1.24 x 4) = ceil(4.96) = 5 (untruncated: ceil(1.252 x 4) = ceil(5.008) = 6)
    expect(getResourceReplicas(4, 50, 500, { ready: 4, readyUsageMilli: 1252, unready: 0, missing: 0, total: 4 })).toBe(5);
  });
});

describe('normalizeDesiredReplicas (behavior unset)', () => {
  it.each([
    // [current, desired, min, max, expected]
    [4, 8, 1, 10, 8], // scale-up limit max(2 x 4, 4) = 8
    [4, 12, 1, 10, 8], // limited to 8
    [1, 10, 1, 20, 4], // limit max(2 x 1, 4) = 4
    [10, 30, 1, 15, 15], // limit 20, max 15
    [5, 1, 2, 10, 2], // min
  ])('convertDesiredReplicasWithRules(%i, %i, min %i, max %i) = %i', (current, desired, min, max, want) => {
    expect(convertDesiredReplicasWithRules(current, desired, min, max)).toBe(want);
  });

  it('stabilizeRecommendation holds the max of the last 5 minutes, then reuses the old slot', () => {
    const recs = new Timestamped(22);
    expect(stabilizeRecommendation(recs, 8, 0)).toBe(8);
    expect(stabilizeRecommendation(recs, 3, 15)).toBe(8); // 8@0 is in the window
    expect(stabilizeRecommendation(recs, 3, 300)).toBe(8); // 8@0 is not Before(300 - 300)
    expect(recs.len).toBe(3);
    expect(stabilizeRecommendation(recs, 3, 315)).toBe(3); // 8@0 is old: overwritten by 3@315
    expect(recs.len).toBe(3);
    expect(Array.from(recs.time.subarray(0, 3))).toEqual([315, 15, 300]);
  });
});

describe('scaling rules (behavior set)', () => {
  const events = (...e: [number, number][]) => {
    const t = new Timestamped(8);
    for (const [v, at] of e) t.push(v, at);
    return t;
  };
  it('scale-up limit: period start replicas + Pods, or x (1 + Percent), Max/Min/Disabled', () => {
    // 10 now, 3 added at 50; at 60 the 15 s period started at 10 - 3 = 7:
    // Pods 4 -> 11; Percent 100 -> ceil(7 x 2) = 14
    const up = events([3, 50]);
    const none = events();
    const policies = [
      { type: 'Pods' as const, value: 4, periodS: 15 },
      { type: 'Percent' as const, value: 100, periodS: 15 },
    ];
    expect(scaleUpLimitWithRules(10, up, none, { stabilizationWindowS: 0, selectPolicy: 'Max', policies }, 60)).toBe(14);
    expect(scaleUpLimitWithRules(10, up, none, { stabilizationWindowS: 0, selectPolicy: 'Min', policies }, 60)).toBe(11);
    expect(scaleUpLimitWithRules(10, up, none, { stabilizationWindowS: 0, selectPolicy: 'Disabled', policies }, 60)).toBe(10);
    // at 65 the event at 50 is not After(65 - 15): start 10 -> Pods 14, Percent 20
    expect(scaleUpLimitWithRules(10, up, none, { stabilizationWindowS: 0, selectPolicy: 'Max', policies }, 65)).toBe(20);
  });
  it('scale-down limit: period start replicas - Pods, or x (1 - Percent) truncated', () => {
    // 10 now, 2 removed at 50: start 12; Percent 50 per 60 s -> trunc(12 x 0.5) = 6; Pods 3 per 15 s -> 9
    const down = events([2, 50]);
    const none = events();
    const policies = [
      { type: 'Percent' as const, value: 50, periodS: 60 },
      { type: 'Pods' as const, value: 3, periodS: 15 },
    ];
    expect(scaleDownLimitWithRules(10, none, down, { stabilizationWindowS: 300, selectPolicy: 'Max', policies }, 60)).toBe(6);
    expect(scaleDownLimitWithRules(10, none, down, { stabilizationWindowS: 300, selectPolicy: 'Min', policies }, 60)).toBe(9);
    // Percent 33 of 7: trunc(7 x 0.67) = trunc(4.69) = 4
    expect(scaleDownLimitWithRules(7, none, none, { stabilizationWindowS: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 33, periodS: 15 }] }, 60)).toBe(4);
  });
});

/**
 * Service `web`: 360 req/s to Deployment web (HPA, 2 replicas, target 50%) and Deployment
 * legacy (4 replicas, no HPA, Ready only at 590 s). Pods: 500m, Ready 10 s after binding.
 * U = 360 / (100 x serving), capped at 1: 2 pods -> 1, 4 -> 0.9, 8 -> 0.45, 12 -> 0.3,
 * 9 -> 0.4, 8 -> 0.45.
 */
function timeline(behavior: HorizontalPodAutoscaler['behavior'], kind: 'Deployment' | 'StatefulSet' = 'Deployment') {
  const tmpl = (app: string) => podTemplate({ labels: { app }, cpuMilli: 500 });
  return scenario({
    horizonS: 1500,
    nodePools: [nodePool({ name: 'general', count: 4 })],
    workloads: [
      workload({ kind, name: 'web', replicas: 2, template: tmpl('web'), behavior: { startup: { dist: 'fixed', value: 10 } } }),
      workload({ name: 'legacy', replicas: 4, template: tmpl('legacy'), behavior: { startup: { dist: 'fixed', value: 590 } } }),
    ],
    traffic: [traffic({ service: 'web', workloads: [0, 1], ratePerS: 360, serviceTime: { dist: 'exponential', mean: 0.1 }, concurrency: 10 })],
    horizontalPodAutoscalers: [{ name: 'web', namespace: 'default', target: 0, minReplicas: 2, maxReplicas: 10, targetUtilization: 50, behavior, source: { file: '<code>', line: 1, col: 1 } }],
    output: { timeseriesStepS: 300 },
  });
}

describe('HPA end to end: load and replicas interact', () => {
  it('scales up at the first sync with ready metrics, waits for new pods, holds a scale-down 5 minutes', () => {
    const r = run(timeline(null));
    // t=0, 15: no ready pod with a metric (Ready at 10, metric window until 25): no scaling.
    // t=30: 2 ready at 100% vs 50%: ceil(2 x 2) = 4, limit max(2 x 2, 4) = 4.
    // t=45: new pods Ready at 40, unready until 55; 2 ready at 90% with 2 unready at 0%:
    //       45% -> 0.9, within tolerance.
    // t=60: 4 ready at 90%: ceil(1.8 x 4) = 8 = limit max(8, 4).
    // t=75..585: 8 ready at 45% -> 0.9: keep (recommendation 8).
    // t=590: legacy Ready, 12 serve, U = 0.3; from the sync at 600: 30% -> 0.6, ceil(0.6 x 8) = 5;
    //        the max of the recommendations not Before(t - 300) stays 8 until t=900 (the last 8
    //        is at 585, not Before(885 - 300)).
    // t=900: 8 -> 5; U = 360 / 900 = 0.4: 40% -> 0.8, ceil(0.8 x 5) = 4, held by the 5 at 900
    //        until t=1215 (900 is not Before(1200 - 300)).
    // t=1215: 5 -> 4; U = 0.45: within tolerance from then on.
    expect(r.events('hpa-scale')).toEqual(['30 2 -> 4', '60 4 -> 8', '900 8 -> 5', '1215 5 -> 4']);
    // replicas: 2 x 30 + 4 x 30 + 8 x 840 + 5 x 315 + 4 x 285 = 60 + 120 + 6720 + 1575 + 1140 = 9615 s over 1500 s
    expect(r.metric('web', 'replicas_mean')).toBeCloseTo(9615 / 1500, 12);
    expect(r.metric('web', 'replicas_max')).toBe(8);
    expect(r.metric('web', 'scale_ups')).toBe(2);
    expect(r.metric('web', 'scale_downs')).toBe(2);
    // timeseries.csv `replicas` every 300 s: 2 at 0 (a sample is the value after every event at
    // t; the first rescale is at 30), 8 at 300, 600; 5 at 900 (rescaled at 900), 1200; 4 at 1500.
    const ts = r.timeseries!;
    const k = ts.keys.findIndex((x) => x.subject === 'web' && x.metric === 'replicas');
    expect(Array.from(ts.timesS)).toEqual([0, 300, 600, 900, 1200, 1500]);
    expect(Array.from(ts.timesS, (_t, i) => ts.values[i * ts.keys.length + k])).toEqual([2, 8, 8, 5, 5, 4]);
    // Ready pods follow: 8 web pods at 1000 s, 4 at the end.
    expect(r.events('pod-ready').filter((e) => e.includes('web-')).length).toBe(8);
  });

  it('spec.behavior: a 60 s scale-down stabilization window scales down 255 s earlier', () => {
    const pol = (type: 'Pods' | 'Percent', value: number) => ({ type, value, periodS: 15 });
    const r = run(
      timeline({
        // SetDefaults_HorizontalPodAutoscalerBehavior, with scaleDown.stabilizationWindowSeconds 60
        scaleUp: { stabilizationWindowS: 0, selectPolicy: 'Max', policies: [pol('Pods', 4), pol('Percent', 100)] },
        scaleDown: { stabilizationWindowS: 60, selectPolicy: 'Max', policies: [pol('Percent', 100)] },
      }),
    );
    // Up: at 30 the limit is max(2 + 4, ceil(2 x 2)) = 6 >= 4; at 60 the event at 30 is not
    // After(60 - 15): start 4, limit max(8, 8) = 8.
    // Down: the recommendation is 5 from the sync at 600. stabilizeRecommendationWithBehaviors
    // keeps records After(t - 60) (strict, where the unset-behavior path keeps those not
    // Before): at 645 they are 600, 615, 630 (the 8 at 585 is out): 8 -> 5 (Percent 100
    // allows any cut). From 660 the recommendation is 4; at 705 the records After(645) are 4s.
    expect(r.events('hpa-scale')).toEqual(['30 2 -> 4', '60 4 -> 8', '645 8 -> 5', '705 5 -> 4']);
    // 2 x 30 + 4 x 30 + 8 x 585 + 5 x 60 + 4 x 795 = 60 + 120 + 4680 + 300 + 3180 = 8340
    expect(r.metric('web', 'replicas_mean')).toBeCloseTo(8340 / 1500, 12);
  });

  it('selectPolicy Disabled on scale-up: never scales up; runs are deterministic', () => {
    const pol = { type: 'Pods' as const, value: 4, periodS: 15 };
    const s = timeline({
      scaleUp: { stabilizationWindowS: 0, selectPolicy: 'Disabled', policies: [pol] },
      scaleDown: { stabilizationWindowS: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodS: 15 }] },
    });
    const r = run(s);
    // 2 replicas throughout: U stays 1 until 590 (recommendations 4, Disabled limit = current),
    // then 6 serve: U = 0.6 -> 60% -> 1.2 wants 3, still an up-scale: nothing changes.
    expect(r.events('hpa-scale')).toEqual([]);
    expect(r.metric('web', 'replicas_mean')).toBe(2);
    expect(JSON.stringify(run(s).metrics)).toBe(JSON.stringify(r.metrics));
  });

  it('a StatefulSet (OrderedReady) grows one ordinal at a time and shrinks from the highest, one pod gone before the next', () => {
    const r = run(timeline(null, 'StatefulSet'));
    // web-0 Ready at 10, web-1 created then, Ready at 20.
    // t=30: web-1 unready (Ready < 15 s): 1 ready at 100% -> 2 > 1 with 1 unready at 0%:
    //       500 x 100 / 1000 = 50 -> 1.0: keep. t=45: 2 ready at 100%: 2 -> 4.
    // web-2 45 -> 55, web-3 55 -> 65. t=60: 2 ready, web-2 unready, web-3 missing (bound < 15 s):
    //       counted 0%: 1000 x 100 / 2000 = 50: keep. t=75: 3 ready at U = 0.9 (4 serve), web-3
    //       unready: 1350 x 100 / 2000 = 67 -> 1.34, ceil(1.34 x 4) = 6: 4 -> 6.
    // web-4 75 -> 85, web-5 85 -> 95. t=90: 4 at 72%, recomputed 1440 x 100 / 3000 = 48: keep;
    //       t=105: 5 at 60%, recomputed 1500 x 100 / 3000 = 50: keep; t=120: 6 at 60%: ceil(7.2) = 8.
    // web-6 120 -> 130, web-7 130 -> 140. t=135: U = 360 / 700, 257m each: 51% > 1 with web-6
    //       unready, web-7 missing: 1542 x 100 / 4000 = 38 crosses 1: keep. t=150: 7 at 45%: keep.
    // From 600 (legacy Ready) the recommendation is 5: 8 -> 5 at 900 as for the Deployment.
    // processCondemned: web-7 deleted at 900, gone at 930 (grace 30 s), then web-6, then web-5.
    // t=915: 7 pods at 163m (U = 360 / 1100): 32% -> ceil(0.64 x 7) = 5; t=945: 6 at 36%: 5;
    // t=960 (web-6 gone first): 5 at 40%: ceil(0.8 x 5) = 4. The 5 at 945 holds until 1260.
    expect(r.events('hpa-scale')).toEqual(['45 2 -> 4', '75 4 -> 6', '120 6 -> 8', '900 8 -> 5', '1260 5 -> 4']);
    expect(r.events('pod-deleted')).toEqual(['900 general-1 web-7 scale-down', '930 general-3 web-6 scale-down', '960 general-2 web-5 scale-down', '1260 general-0 web-4 scale-down']);
    expect(r.events('pod-created').filter((e) => e.includes('web-'))).toEqual(['0 web-0', '10 web-1', '45 web-2', '55 web-3', '75 web-4', '85 web-5', '120 web-6', '130 web-7']);
    // 2 x 45 + 4 x 30 + 6 x 45 + 8 x 780 + 5 x 360 + 4 x 240 = 90 + 120 + 270 + 6240 + 1800 + 960 = 9480
    expect(r.metric('web', 'replicas_mean')).toBeCloseTo(9480 / 1500, 12);
  });
});
