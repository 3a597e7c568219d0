// Typed, positioned reading of plain YAML data.
//
// A `Cur` is a value plus where it sits (its container and key) and how messages name it
// (`spec.cluster.nodePools[0].count`). Readers return `undefined` after reporting when the
// value has the wrong type, so conversion code carries on and every error of a file is found.
//
// Errors that the JSON Schema pass already reported are not reported twice: the schema pass
// flags (container, key) pairs, and a cursor at or below a flagged pair stays silent.

import { parseDuration } from './duration.js';
import type { Diagnostics } from './errors.js';
import type { IntOrPercent, SourcePos } from './model.js';
import { containerPos, keyPos, noteOf, valuePos, type Key } from './positions.js';
import { milliBig, parseQuantity, type Quantity } from './quantity.js';
import { didYouMean } from './suggest.js';

/** State shared by all cursors of one conversion. */
export class ReadContext {
  private readonly flags = new WeakMap<object, Set<Key>>();
  constructor(readonly diags: Diagnostics) {}

  /** Marks `container[key]` as already reported (by the schema pass). */
  flag(container: object, key: Key): void {
    let s = this.flags.get(container);
    if (s === undefined) this.flags.set(container, (s = new Set()));
    s.add(key);
  }

  isFlagged(container: object, key: Key): boolean {
    return this.flags.get(container)?.has(key) ?? false;
  }
}

export type Map_ = Record<string, unknown>;

export function isMap(v: unknown): v is Map_ {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Characters of a string value that messages quote. */
const SHOW_CHARS = 80;

/** A short rendering of a value for messages: `"abc"`, `3`, `true`, `a list`, `a map`. */
export function show(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') {
    // A long value (a binary file read as YAML is one string) is shown by its start.
    return v.length <= SHOW_CHARS ? JSON.stringify(v) : `${JSON.stringify(v.slice(0, SHOW_CHARS))}... (${v.length} characters)`;
  }
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return String(v);
}

function segment(key: Key, first: boolean): string {
  if (typeof key === 'number') return `[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

export class Cur {
  private constructor(
    readonly rc: ReadContext,
    readonly value: unknown,
    readonly holder: object | null,
    readonly key: Key | null,
    readonly up: Cur | null,
    /** Display path from the nearest rebase point, e.g. `spec.replicas`. */
    readonly path: string,
    /** Names the object being read, e.g. `Deployment "web"`; '' for the scenario itself. */
    readonly subject: string,
    private readonly rootPos: SourcePos | null,
  ) {}

  static root(rc: ReadContext, value: unknown, pos: SourcePos, subject = ''): Cur {
    return new Cur(rc, value, null, null, null, '', subject, pos);
  }

  /** The same value, with messages naming `subject` and paths starting here. */
  rebase(subject: string): Cur {
    return new Cur(this.rc, this.value, this.holder, this.key, this.up, '', subject, this.rootPos);
  }

  child(key: Key): Cur {
    let v: unknown;
    if (typeof key === 'number') v = Array.isArray(this.value) ? this.value[key] : undefined;
    else v = isMap(this.value) ? this.value[key] : undefined;
    const holder = this.value !== null && typeof this.value === 'object' ? (this.value as object) : null;
    return new Cur(this.rc, v, holder, key, this, this.path + segment(key, this.path === ''), this.subject, null);
  }

  /** Follows keys and indices; used to map schema errors back to the data. */
  at(keys: Key[]): Cur {
    let c: Cur = this;
    for (const k of keys) c = c.child(k);
    return c;
  }

  get missing(): boolean {
    return this.value === undefined || this.value === null;
  }

  /** Written as an empty list (`[]`): for fields that must list something when given. */
  get emptyList(): boolean {
    return Array.isArray(this.value) && this.value.length === 0;
  }

  has(key: string): boolean {
    return isMap(this.value) && this.value[key] !== undefined && this.value[key] !== null;
  }

  /** Where the value is; falls back to the nearest positioned ancestor. */
  get pos(): SourcePos {
    if (this.holder !== null && this.key !== null) {
      const p = valuePos(this.holder, this.key);
      if (p !== null) return p;
    }
    if (this.value !== null && typeof this.value === 'object') {
      const p = containerPos(this.value);
      if (p !== null) return p;
    }
    if (this.rootPos !== null) return this.rootPos;
    return this.up !== null ? this.up.pos : { file: '<unknown>', line: 1, col: 1 };
  }

  /** Where the key is (for unknown fields); falls back to the value's position. */
  get keyPos(): SourcePos {
    if (this.holder !== null && this.key !== null) {
      const p = keyPos(this.holder, this.key);
      if (p !== null) return p;
    }
    return this.pos;
  }

  /** `Deployment "web": spec.replicas`, `spec.horizon`, ... */
  get head(): string {
    if (this.subject === '') return this.path === '' ? 'the document' : this.path;
    return this.path === '' ? this.subject : `${this.subject}: ${this.path}`;
  }

  private suppressed(): boolean {
    for (let c: Cur | null = this; c !== null; c = c.up) {
      if (c.holder !== null && c.key !== null && this.rc.isFlagged(c.holder, c.key)) return true;
    }
    return false;
  }

  /** ` (from --set x=y)` when an override or a sweep put this value (or an ancestor) here. */
  private note(): string {
    for (let c: Cur | null = this; c !== null; c = c.up) {
      if (c.holder !== null && c.key !== null) {
        const n = noteOf(c.holder, c.key);
        if (n !== null) return ` (from ${n})`;
      }
    }
    return '';
  }

  /** Reports `HEAD: message` at the value. */
  error(message: string): void {
    if (this.suppressed()) return;
    this.rc.diags.error(this.pos, `${this.head}: ${message}${this.note()}`);
  }

  /** Reports `HEAD must be WHAT, got VALUE`. */
  mustBe(what: string, got: string = show(this.value)): void {
    if (this.suppressed()) return;
    this.rc.diags.error(this.pos, `${this.head} must be ${what}, got ${got}${this.note()}`);
  }

  /** Reports at the key (unknown fields). */
  errorAtKey(message: string): void {
    if (this.suppressed()) return;
    this.rc.diags.error(this.keyPos, `${this.head}: ${message}${this.note()}`);
  }

  /** Reports `message` as written (it names what it is about), even below a flagged node; the schema pass and strict-fields.ts use it. */
  forceError(message: string, atKey = false): void {
    this.rc.diags.error(atKey ? this.keyPos : this.pos, `${message}${this.note()}`);
  }

  warn(message: string): void {
    this.rc.diags.warn(this.pos, `${this.head}: ${message}`);
  }

  /** Reports a missing required child (at this container). */
  requireChild(key: string): Cur {
    const c = this.child(key);
    if (c.missing && !c.suppressed()) this.error(`missing required field ${JSON.stringify(key)}`);
    return c;
  }

  /** Unknown keys of one of our own objects are errors, with a suggestion. */
  only(allowed: readonly string[]): void {
    if (!isMap(this.value)) return;
    for (const k of Object.keys(this.value)) {
      if (!allowed.includes(k)) this.child(k).errorAtKey(`unknown field ${JSON.stringify(k)}${didYouMean(k, allowed)}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Typed readers: undefined when missing (silently) or of the wrong type (reported).

  str(): string | undefined {
    if (this.missing) return undefined;
    if (typeof this.value === 'string') return this.value;
    this.mustBeString();
    return undefined;
  }

  /** `must be a string, got 1 (quote it: "1")`: YAML reads unquoted 1, true, 1.0 as non-strings. */
  private mustBeString(): void {
    const v = this.value;
    if (typeof v === 'number' || typeof v === 'boolean') this.mustBe('a string', `${show(v)} (quote it: "${String(v)}")`);
    else this.mustBe('a string');
  }

  bool(): boolean | undefined {
    if (this.missing) return undefined;
    if (typeof this.value === 'boolean') return this.value;
    this.mustBe('true or false');
    return undefined;
  }

  num(opts: { min?: number; max?: number; gt?: number } = {}): number | undefined {
    if (this.missing) return undefined;
    const v = this.value;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.mustBe('a number');
      return undefined;
    }
    return this.checkRange(v, opts);
  }

  int(opts: { min?: number; max?: number } = {}): number | undefined {
    if (this.missing) return undefined;
    const v = this.value;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.mustBe('an integer');
      return undefined;
    }
    return this.checkRange(v, opts);
  }

  private checkRange(v: number, opts: { min?: number; max?: number; gt?: number }): number | undefined {
    if (opts.min !== undefined && v < opts.min) return void this.mustBe(`>= ${opts.min}`);
    if (opts.gt !== undefined && v <= opts.gt) return void this.mustBe(`> ${opts.gt}`);
    if (opts.max !== undefined && v > opts.max) return void this.mustBe(`<= ${opts.max}`);
    return v;
  }

  list(): Cur[] | undefined {
    if (this.missing) return undefined;
    if (!Array.isArray(this.value)) {
      this.mustBe('a list');
      return undefined;
    }
    return this.value.map((_, i) => this.child(i));
  }

  /** Entries of a map, in document order. */
  entries(): [string, Cur][] | undefined {
    if (this.missing) return undefined;
    if (!isMap(this.value)) {
      this.mustBe('a map');
      return undefined;
    }
    return Object.keys(this.value).map((k) => [k, this.child(k)]);
  }

  /** A map of strings (labels, nodeSelector); non-string values are reported. */
  strMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, c] of this.entries() ?? []) {
      if (typeof c.value === 'string') out[k] = c.value;
      else c.mustBeString();
    }
    return out;
  }

  strList(): string[] {
    const out: string[] = [];
    for (const c of this.list() ?? []) {
      const s = c.str();
      if (s !== undefined) out.push(s);
      else if (c.missing) c.mustBe('a string');
    }
    return out;
  }

  /** A duration in seconds (see duration.ts). */
  duration(opts: { gt?: number } = {}): number | undefined {
    if (this.missing) return undefined;
    if (typeof this.value !== 'string' && typeof this.value !== 'number') {
      this.mustBe('a duration such as "90s", "5m", "1h30m", "7d" or a number of seconds');
      return undefined;
    }
    const r = parseDuration(this.value);
    if (!r.ok) return void this.error(r.message);
    if (opts.gt !== undefined && r.seconds <= opts.gt) return void this.mustBe(`longer than ${opts.gt}s`);
    return r.seconds;
  }

  /** A Kubernetes quantity, exact (see quantity.ts); negative values are refused. */
  quantity(): Quantity | undefined {
    if (this.missing) return undefined;
    if (typeof this.value !== 'string' && typeof this.value !== 'number') {
      this.mustBe('a quantity such as "500m", "2" or "1.5Gi"');
      return undefined;
    }
    const r = parseQuantity(this.value);
    if (!r.ok) return void this.error(r.message);
    if (r.value.nano < 0n) return void this.mustBe('a non-negative quantity', show(this.value));
    return r.value;
  }

  /** A quantity in milli-units (kube rounds resource lists up to milli scale). */
  milli(): bigint | undefined {
    const q = this.quantity();
    return q === undefined ? undefined : milliBig(q);
  }

  /**
   * kube intstr.IntOrString: an integer or a string `N%`; here also checked to be >= 0
   * (kube: ValidatePositiveIntOrPercent) and, with `max100`, not above 100%
   * (kube: IsNotMoreThan100Percent).
   */
  intOrPercent(opts: { max100?: boolean } = {}): IntOrPercent | undefined {
    if (this.missing) return undefined;
    const v = this.value;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return void this.mustBe('an integer or a percentage such as "25%"');
      if (v < 0) return void this.mustBe('>= 0');
      return { kind: 'int', value: v };
    }
    if (typeof v === 'string') {
      const m = /^(\d+)%$/.exec(v);
      if (m === null) return void this.mustBe('an integer or a percentage such as "25%"');
      const pct = Number(m[1]);
      if (opts.max100 && pct > 100) return void this.mustBe('at most 100%');
      return { kind: 'percent', value: pct };
    }
    this.mustBe('an integer or a percentage such as "25%"');
    return undefined;
  }
}
