// Optional event trace (`--trace` writes events.csv). When off, `enabled` is false and callers
// skip building the row, so tracing costs one branch per traced event.

export interface TraceRow {
  timeS: number;
  event: string;
  node: string;
  pod: string;
  workload: string;
  detail: string;
}

export class Tracer {
  readonly rows: TraceRow[] = [];
  constructor(readonly enabled: boolean) {}

  add(timeS: number, event: string, node: string, pod: string, workload: string, detail = ''): void {
    this.rows.push({ timeS, event, node, pod, workload, detail });
  }
}
