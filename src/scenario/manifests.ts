// `spec.manifests`: files and folders of multi-document Kubernetes YAML.
//
// Paths are relative to the scenario file's folder. Folders are read recursively; files
// ending in .yaml, .yml or .json are taken, in code-point order of their names at every level
// (so the result does not depend on the file system's listing order). Each file is read and
// parsed once per load, then copied for each sweep point (overrides mutate their copy).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Cur, type ReadContext } from './cursor.js';
import { Diagnostics } from './errors.js';
import { expandLists } from './kube/objects.js';
import { clonePositioned, parseYamlStream, type ParsedDocument } from './positions.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

interface CachedFile {
  display: string;
  /** Problems of reading/parsing the file, replayed into every point's diagnostics. */
  diags: Diagnostics;
  docs: ParsedDocument[] | null;
}

/** Files read during one load (shared by its sweep points), and their text for hashing. */
export class ManifestCache {
  private readonly files = new Map<string, CachedFile>();
  /** display path -> text, in first-read order. */
  readonly sources = new Map<string, string>();

  get(abs: string, display: string): CachedFile {
    let f = this.files.get(abs);
    if (f === undefined) {
      const diags = new Diagnostics();
      let docs: ParsedDocument[] | null = null;
      let text: string | null = null;
      try {
        text = fs.readFileSync(abs, 'utf8');
      } catch (e) {
        diags.error({ file: display, line: 1, col: 1 }, `cannot read file: ${reason(e)}`);
      }
      if (text !== null) {
        this.sources.set(display, text);
        docs = parseYamlStream(text, display, diags);
        // A file with no object (empty, only comments or `---`) is most likely the wrong file.
        if (docs !== null && docs.every((d) => d.value === null)) diags.warn({ file: display, line: 1, col: 1 }, 'no Kubernetes objects in this file (it is empty or holds only comments)');
      }
      f = { display, diags, docs };
      this.files.set(abs, f);
    }
    return f;
  }
}

/** A readable reason for a file system error: `no such file or directory (ENOENT)`. */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many symbolic links',
  };
  if (err && typeof err.code === 'string') return `${words[err.code] ?? err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(e);
}

function listFolder(abs: string): string[] {
  const out: string[] = [];
  const names = fs.readdirSync(abs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const p = path.join(abs, name);
    const st = fs.statSync(p);
    if (st.isDirectory()) out.push(...listFolder(p));
    else if (st.isFile() && EXTENSIONS.includes(path.extname(name).toLowerCase())) out.push(p);
  }
  return out;
}

/**
 * Reads every entry of `spec.manifests` and returns one cursor per Kubernetes object (List
 * items expanded), in order. Problems are reported at the entry (unreadable path) or in the
 * manifest file (YAML errors).
 */
export function readManifests(entries: Cur, baseDir: string, displayDir: string, cache: ManifestCache, rc: ReadContext): Cur[] {
  const out: Cur[] = [];
  for (const entry of entries.list() ?? []) {
    const rel = entry.str();
    if (rel === undefined) {
      if (entry.missing) entry.mustBe('a file or folder path');
      continue;
    }
    if (rel === '') {
      entry.error('must not be empty');
      continue;
    }
    const abs = path.resolve(baseDir, rel);
    let files: string[];
    try {
      const st = fs.statSync(abs);
      files = st.isDirectory() ? listFolder(abs) : [abs];
      if (st.isDirectory() && files.length === 0) entry.warn(`folder ${JSON.stringify(rel)} has no .yaml, .yml or .json files`);
    } catch (e) {
      // Name what could not be read: the entry, or the file inside its folder (a dangling link).
      const failed = (e as NodeJS.ErrnoException).path;
      const what = typeof failed === 'string' && failed !== abs ? path.join(rel, path.relative(abs, failed)) : rel;
      entry.error(`cannot read ${JSON.stringify(what)}: ${reason(e)}`);
      continue;
    }
    for (const f of files) {
      const display = path.join(displayDir, path.relative(baseDir, f));
      const cached = cache.get(f, display);
      rc.diags.absorb(cached.diags);
      for (const doc of cached.docs ?? []) {
        if (doc.value === null) continue; // empty document (e.g. a trailing ---)
        expandLists(Cur.root(rc, clonePositioned(doc.value), doc.pos), out);
      }
    }
  }
  return out;
}
