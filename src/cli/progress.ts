// A one-line progress bar on stderr for long runs: done/total, rate and ETA. Drawn only when
// stderr is a terminal and --quiet is off; redrawn at most every 100 ms.

export class Progress {
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly enabled: boolean,
  ) {}

  update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 30;
    const frac = total > 0 ? done / total : 1;
    const filled = Math.round(frac * width);
    const elapsedS = (now - this.startedAt) / 1000;
    const rate = elapsedS > 0 ? done / elapsedS : 0;
    const etaS = rate > 0 ? (total - done) / rate : NaN;
    const eta = Number.isFinite(etaS) ? `ETA ${formatSeconds(etaS)}` : 'ETA -';
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    process.stderr.write(`\r${this.label} [${bar}] ${done}/${total}  ${rate.toFixed(1)}/s  ${eta}   `);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) process.stderr.write('\n');
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}
