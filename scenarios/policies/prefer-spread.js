// A user scheduling policy for kubesim-des (`scheduler.policy: ./policies/prefer-spread.js`).
// Interface: src/sim/scheduler/user/api.ts (README, "Custom scheduling policies").
//
// Spreads by pod count first and free CPU second: a node hosting fewer pods scores higher, so
// one machine failure takes out as few pods as possible; between nodes with the same count the
// one with more CPU left after placing the pod wins. Scores are in [0, 100]:
//   score = 70 * (1 - pods / maxPods) + 30 * (cpu free after placing / cpu allocatable)

/**
 * @param {import('../../src/sim/scheduler/user/api.js').PolicyPod} pod
 * @param {import('../../src/sim/scheduler/user/api.js').PolicyNode} node
 * @returns {number}
 */
export function score(pod, node) {
  const podRoom = node.maxPods > 0 ? 1 - node.pods / node.maxPods : 0;
  const cpu = node.allocatable.cpu;
  const cpuFree = cpu > 0 ? Math.max(0, cpu - node.requested.cpu - pod.requests.cpu) / cpu : 0;
  return 70 * podRoom + 30 * cpuFree;
}
