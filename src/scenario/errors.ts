// Positioned errors and warnings of scenario loading.
//
// Loading never stops at the first problem: every module reports into one `Diagnostics`
// collector, and the loader returns all errors of all files at once, sorted by file (in the
// order files were read), line and column, without duplicates (a sweep converts the same
// scenario once per point; a problem that does not depend on the point is reported once).

import type { SourcePos } from './model.js';

/** One invalid-input problem, printed as `FILE:LINE:COL: message` (exit code 2, no stack). */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly file: string,
    readonly line: number, // 1-based
    readonly col: number, // 1-based
    message: string,
  ) {
    super(message);
  }

  format(): string {
    return `${this.file}:${this.line}:${this.col}: ${this.message}`;
  }
}

interface Entry {
  pos: SourcePos;
  message: string;
  seq: number;
}

/** Collects errors and warnings; `errors()` / `warnings()` return them sorted and de-duplicated. */
export class Diagnostics {
  private readonly errs: Entry[] = [];
  private readonly warns: Entry[] = [];
  private readonly fileOrder = new Map<string, number>();
  private seq = 0;

  /** Declares a file so that its problems sort after those of files registered before it. */
  registerFile(file: string): void {
    if (!this.fileOrder.has(file)) this.fileOrder.set(file, this.fileOrder.size);
  }

  error(pos: SourcePos, message: string): void {
    this.registerFile(pos.file);
    this.errs.push({ pos, message, seq: this.seq++ });
  }

  warn(pos: SourcePos, message: string): void {
    this.registerFile(pos.file);
    this.warns.push({ pos, message, seq: this.seq++ });
  }

  get errorCount(): number {
    return this.errs.length;
  }

  /** Copies every problem of `other` into this collector (used to merge sweep points). */
  absorb(other: Diagnostics): void {
    for (const f of other.fileOrder.keys()) this.registerFile(f);
    for (const e of other.errs) this.error(e.pos, e.message);
    for (const w of other.warns) this.warn(w.pos, w.message);
  }

  errors(): ScenarioError[] {
    return this.sorted(this.errs).map((e) => new ScenarioError(e.pos.file, e.pos.line, e.pos.col, e.message));
  }

  /** Warnings formatted `FILE:LINE:COL: warning: message`. */
  warnings(): string[] {
    return this.sorted(this.warns).map((w) => `${w.pos.file}:${w.pos.line}:${w.pos.col}: warning: ${w.message}`);
  }

  private sorted(list: Entry[]): Entry[] {
    const order = (f: string): number => this.fileOrder.get(f) ?? Number.MAX_SAFE_INTEGER;
    const out = [...list].sort(
      (a, b) =>
        order(a.pos.file) - order(b.pos.file) ||
        a.pos.line - b.pos.line ||
        a.pos.col - b.pos.col ||
        a.seq - b.seq,
    );
    const seen = new Set<string>();
    return out.filter((e) => {
      const k = `${e.pos.file}\0${e.pos.line}\0${e.pos.col}\0${e.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}
