// The structural pass: the Scenario document against the JSON Schema (ajv, allErrors), with
// ajv's errors turned into positioned messages (instancePath -> YAML node) and flagged so
// the conversion pass does not report the same problem again.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { show, type Cur } from './cursor.js';
import type { Key } from './positions.js';
import { buildScenarioSchema } from './schema.js';
import { didYouMean } from './suggest.js';

let compiled: ValidateFunction | null = null;

/** Compiled once per process (compilation is the expensive part). */
function validator(): ValidateFunction {
  if (compiled === null) {
    const ajv = new Ajv({ allErrors: true, verbose: true, discriminator: true, strict: true, allowUnionTypes: true });
    compiled = ajv.compile(buildScenarioSchema('validate'));
  }
  return compiled;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

/** What a value-parsing definition (see schema.ts `$comment`) expects, in words. */
const KIND_WORDS: Record<string, string> = {
  duration: 'a duration such as "90s", "5m", "1h30m", "7d" or a number of seconds',
  quantity: 'a quantity such as "500m", "2" or "1.5Gi"',
  intOrPercent: 'an integer or a percentage such as "25%"',
  distribution: 'a duration or a distribution such as {dist: lognormal, median: 8s, p99: 40s}',
};

/** JSON pointer -> keys; numeric segments become indices where the data is a list. */
function pointerKeys(root: unknown, pointer: string): Key[] {
  if (pointer === '') return [];
  const keys: Key[] = [];
  let v: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) {
      const i = Number(seg);
      keys.push(i);
      v = v[i];
    } else {
      keys.push(seg);
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
    }
  }
  return keys;
}

function headed(c: Cur, message: string): string {
  return c.path === '' ? message : `${c.head}: ${message}`;
}

function must(c: Cur, what: string): string {
  return c.path === '' ? `the scenario must be ${what}, got ${show(c.value)}` : `${c.head} must be ${what}, got ${show(c.value)}`;
}

/** Flags the value at `c` as reported. */
function flagHere(c: Cur): void {
  if (c.holder !== null && c.key !== null) c.rc.flag(c.holder, c.key);
}

function report(e: ErrorObject, root: Cur): void {
  const c = root.at(pointerKeys(root.value, e.instancePath));
  const params = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const holder = c.value !== null && typeof c.value === 'object' ? (c.value as object) : null;
  switch (e.keyword) {
    case 'additionalProperties': {
      const k = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const child = c.child(k);
      child.forceError(`${child.head}: unknown field ${JSON.stringify(k)}${didYouMean(k, allowed)}`, true);
      if (holder !== null) c.rc.flag(holder, k);
      return;
    }
    case 'required': {
      const k = String(params.missingProperty);
      c.forceError(headed(c, `missing required field ${JSON.stringify(k)}`));
      if (holder !== null) c.rc.flag(holder, k);
      return;
    }
    case 'type': {
      const kind = typeof parent.$comment === 'string' ? KIND_WORDS[parent.$comment] : undefined;
      const words = kind ?? String(params.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      const quote = String(params.type) === 'string' && (typeof c.value === 'number' || typeof c.value === 'boolean') ? ` (quote it: "${String(c.value)}")` : '';
      c.forceError(must(c, words) + quote);
      flagHere(c);
      return;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const v = String(c.value);
      c.forceError(headed(c, `unsupported value ${show(c.value)} (expected one of ${allowed.join(', ')})${didYouMean(v, allowed)}`));
      flagHere(c);
      return;
    }
    case 'const':
      c.forceError(must(c, JSON.stringify(params.allowedValue)));
      flagHere(c);
      return;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      c.forceError(must(c, `${String(params.comparison)} ${String(params.limit)}`));
      flagHere(c);
      return;
    case 'minItems':
      c.forceError(headed(c, `must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`));
      flagHere(c);
      return;
    case 'minLength':
      c.forceError(headed(c, 'must not be empty'));
      flagHere(c);
      return;
    case 'discriminator': {
      const typeCur = c.child('type');
      if (params.error === 'mapping') {
        const allowed = ((parent.oneOf ?? []) as Array<{ properties?: { type?: { const?: string } } }>).map((b) => b.properties?.type?.const ?? '');
        const what = typeof parent.title === 'string' ? `${parent.title} type` : 'type';
        const v = String(typeCur.value);
        typeCur.forceError(`${typeCur.head}: unknown ${what} ${show(typeCur.value)} (expected one of ${allowed.join(', ')})${didYouMean(v, allowed)}`);
      } else {
        return; // the tag is missing or not a string: the `required` / `type` errors say so
      }
      if (holder !== null) c.rc.flag(holder, 'type');
      return;
    }
    default:
      c.forceError(headed(c, e.message ?? `fails schema keyword ${e.keyword}`));
      flagHere(c);
  }
}

/** Validates the Scenario document; reports every schema error positioned. Returns true if valid. */
export function validateScenarioDocument(root: Cur): boolean {
  const v = validator();
  if (v(root.value)) return true;
  for (const e of v.errors ?? []) report(e, root);
  return false;
}
