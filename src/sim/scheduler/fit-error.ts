// kube: pkg/scheduler/framework/types.go FitError.Error and schedule_one.go ErrNoNodesAvailable.

/** kube: ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * kube: FitError.Error: "0/N nodes are available:" then either the PreFilter message, or the
 * histogram of filter reasons as "<count> <reason>" strings sorted as strings (Go sort.Strings,
 * so "10 x" sorts before "3 y") and joined with ", ", then ".".
 */
export function fitErrorMessage(numAllNodes: number, preFilterMsg: string | null, reasons: ReadonlyMap<string, number>): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg !== null) return `${msg} ${preFilterMsg}.`;
  const parts: string[] = [];
  for (const [reason, count] of reasons) parts.push(`${count} ${reason}`);
  parts.sort(); // UTF-16 order; same as Go's byte order for the ASCII reasons used here
  if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  return msg;
}

/**
 * kube: FitError.Error appends Diagnosis.PostFilterMsg after a space: DefaultPreemption's
 * status message, prefixed "preemption: " (DefaultPreemption.PostFilter), e.g.
 * "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No
 * preemption victims found for incoming pod." Empty when preemption nominated a node.
 */
export function withPostFilterMessage(fitMsg: string, postFilterMsg: string): string {
  return postFilterMsg === '' ? fitMsg : `${fitMsg} ${postFilterMsg}`;
}
