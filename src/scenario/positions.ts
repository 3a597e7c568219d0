// YAML text -> plain JS data, with a side table of source positions.
//
// The loader works on plain objects and arrays (so overrides, sweeps and ajv see ordinary
// data), and asks this table where a value came from when it has something to say about it.
// Positions are attached to containers: for each map or list we keep its own position and,
// per key or index, the key's and the value's position. Overrides record, per child, a note
// that names them (`--set a.b=3`), so a bad overridden value is reported as such.
//
// Invariant: every map and list produced by `parseYamlStream` or `clonePositioned` has an
// entry; plain data created elsewhere (e.g. a `--set` flow value) has none, and lookups fall
// back to the nearest positioned ancestor (see cursor.ts).

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { Diagnostics } from './errors.js';
import type { SourcePos } from './model.js';

export type Key = string | number;

interface ChildInfo {
  keyPos: SourcePos | null;
  valuePos: SourcePos;
  note: string | null;
}

interface ContainerInfo {
  pos: SourcePos;
  children: Map<Key, ChildInfo>;
}

const table = new WeakMap<object, ContainerInfo>();

/** Position of a container itself (its first key or item). */
export function containerPos(container: object): SourcePos | null {
  return table.get(container)?.pos ?? null;
}

/** Position of the value under `key` (null if unknown). */
export function valuePos(container: object, key: Key): SourcePos | null {
  return table.get(container)?.children.get(key)?.valuePos ?? null;
}

/** Position of the key itself (maps only). */
export function keyPos(container: object, key: Key): SourcePos | null {
  return table.get(container)?.children.get(key)?.keyPos ?? null;
}

/** The override note attached to `container[key]`, if an override put the value there. */
export function noteOf(container: object, key: Key): string | null {
  return table.get(container)?.children.get(key)?.note ?? null;
}

function ensure(container: object, fallback: SourcePos): ContainerInfo {
  let info = table.get(container);
  if (info === undefined) {
    info = { pos: fallback, children: new Map() };
    table.set(container, info);
  }
  return info;
}

/**
 * Stores `value` under `container[key]` and remembers where it came from: `pos` (the value's
 * own position, e.g. a sweep value in the file) or else the replaced value's position, or
 * else the container's; `note` names the override in messages.
 */
export function setChild(container: Record<string, unknown> | unknown[], key: Key, value: unknown, pos: SourcePos | null, note: string): void {
  const fallback = containerPos(container) ?? { file: '<override>', line: 1, col: 1 };
  const info = ensure(container, fallback);
  const old = info.children.get(key);
  const where = pos ?? old?.valuePos ?? info.pos;
  info.children.set(key, { keyPos: old?.keyPos ?? null, valuePos: where, note });
  // A map or list an override creates (`--set scheduler.policy=x` with no scheduler block) is
  // positioned where it was put, so what goes wrong inside it is reported in the file.
  if (value !== null && typeof value === 'object' && !table.has(value)) ensure(value as Record<string, unknown> | unknown[], where);
  if (Array.isArray(container)) container[key as number] = value;
  else container[key as string] = value;
}

/** Deep copy of plain data that keeps every position entry (sweep points mutate their copy). */
export function clonePositioned<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const src = value as unknown as object;
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? value.map((v) => clonePositioned(v)) : {};
  if (!Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) (out as Record<string, unknown>)[k] = clonePositioned(v);
  }
  const info = table.get(src);
  if (info !== undefined) table.set(out, { pos: info.pos, children: new Map(info.children) });
  return out as unknown as T;
}

// ---------------------------------------------------------------------------------------------
// Parsing

export interface ParsedDocument {
  /** Plain data of the document (null for an empty document). */
  value: unknown;
  pos: SourcePos;
}

/**
 * Above this many nodes produced by alias expansion a document is rejected ("billion laughs");
 * nodes written out in the text are bounded by its size.
 */
const MAX_ALIAS_NODES = 100_000;

/** Syntax errors reported per file; after the first few, the rest are mostly echoes. */
const MAX_SYNTAX_ERRORS = 20;

/**
 * Parses a (multi-document) YAML stream. Syntax errors are reported positioned and the
 * stream's documents are returned only when there were none (null otherwise).
 */
export function parseYamlStream(text: string, file: string, diags: Diagnostics): ParsedDocument[] | null {
  diags.registerFile(file);
  const lc = new LineCounter();
  const at = (offset: number): SourcePos => {
    const { line, col } = lc.linePos(offset);
    return { file, line, col };
  };
  // YAML allows no NUL character (spec 5.1, c-printable): a NUL means a binary file, which would
  // otherwise come back as hundreds of syntax errors quoting it.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const before = text.slice(0, nul).split('\n');
    diags.error({ file, line: before.length, col: before[before.length - 1]!.length + 1 }, 'not a YAML file: it holds binary data (a NUL character here)');
    return null;
  }
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  let failed = 0;
  for (const doc of list) {
    for (const e of doc.errors) {
      if (++failed <= MAX_SYNTAX_ERRORS) diags.error(at(e.pos[0]), `invalid YAML: ${e.message}`);
    }
    for (const w of doc.warnings) diags.warn(at(w.pos[0]), `YAML: ${w.message}`);
  }
  if (failed > MAX_SYNTAX_ERRORS) diags.error({ file, line: 1, col: 1 }, `invalid YAML: ${failed - MAX_SYNTAX_ERRORS} more syntax errors in this file not shown`);
  if (failed > 0) return null;

  const out: ParsedDocument[] = [];
  for (const doc of list) {
    const b = new Builder(doc, at, diags);
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const value = doc.contents === null ? null : b.convert(doc.contents as YamlNode, []);
    if (b.failed) return null;
    out.push({ value, pos: at(start) });
  }
  return out;
}

class Builder {
  failed = false;
  private tooLarge = false;
  private aliasNodes = 0;
  private aliasDepth = 0;
  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => SourcePos,
    private readonly diags: Diagnostics,
  ) {}

  private posOf(node: YamlNode): SourcePos {
    return this.at(node.range?.[0] ?? 0);
  }

  /** `stack` holds the collection nodes being converted, to refuse self-referencing aliases. */
  convert(node: YamlNode, stack: YamlNode[]): unknown {
    if (this.aliasDepth > 0 && ++this.aliasNodes > MAX_ALIAS_NODES) {
      if (!this.tooLarge) this.diags.error(this.posOf(node), `YAML document too large (more than ${MAX_ALIAS_NODES} nodes from alias expansion)`);
      this.tooLarge = this.failed = true;
      return null;
    }
    if (this.tooLarge) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined) {
        this.diags.error(this.posOf(node), `invalid YAML: unresolved alias *${node.source}`);
        this.failed = true;
        return null;
      }
      if (stack.includes(target as YamlNode)) {
        this.diags.error(this.posOf(node), `invalid YAML: alias *${node.source} refers to a node that contains it`);
        this.failed = true;
        return null;
      }
      this.aliasDepth++;
      const v = this.convert(target as YamlNode, stack);
      this.aliasDepth--;
      return v;
    }
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'bigint') return Number(v);
      return v ?? null;
    }
    if (isSeq(node)) {
      const arr: unknown[] = [];
      const info: ContainerInfo = { pos: this.posOf(node), children: new Map() };
      table.set(arr, info);
      stack.push(node);
      node.items.forEach((item, i) => {
        const n = item as YamlNode;
        arr.push(n === null ? null : this.convert(n, stack));
        info.children.set(i, { keyPos: null, valuePos: n === null ? info.pos : this.posOf(n), note: null });
      });
      stack.pop();
      return arr;
    }
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      const info: ContainerInfo = { pos: this.posOf(node), children: new Map() };
      table.set(obj, info);
      stack.push(node);
      const merges: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyPosition = keyNode === null ? info.pos : this.posOf(keyNode);
        if (keyNode !== null && !isScalar(keyNode)) {
          this.diags.error(keyPosition, 'invalid YAML: map keys must be plain scalars');
          this.failed = true;
          continue;
        }
        const key = keyNode === null ? '' : String(keyNode.value);
        const valueNode = pair.value as YamlNode | null;
        // An empty value (`key:`) has no text of its own: point at the key.
        const empty = valueNode === null || (isScalar(valueNode) && valueNode.value === null && (valueNode.source ?? '') === '');
        const valuePosition = empty ? keyPosition : this.posOf(valueNode!);
        const value = valueNode === null ? null : this.convert(valueNode, stack);
        // YAML 1.1 merge keys (`<<: *base`), which Kubernetes' YAML reader (go-yaml) honours.
        if (key === '<<' && isScalar(keyNode) && keyNode.source === '<<') {
          merges.push(value);
          continue;
        }
        obj[key] = value;
        info.children.set(key, { keyPos: keyPosition, valuePos: valuePosition, note: null });
      }
      stack.pop();
      for (const m of merges) {
        for (const src of Array.isArray(m) ? m : [m]) {
          if (src === null || typeof src !== 'object' || Array.isArray(src)) continue;
          const srcInfo = table.get(src);
          for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
            if (k in obj) continue; // explicit keys win over merged ones
            obj[k] = v;
            const child = srcInfo?.children.get(k);
            if (child !== undefined) info.children.set(k, child);
          }
        }
      }
      return obj;
    }
    return null;
  }
}
