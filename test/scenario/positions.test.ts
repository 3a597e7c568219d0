import { describe, expect, test } from 'vitest';
import { Diagnostics } from '../../src/scenario/errors.js';
import { clonePositioned, containerPos, keyPos, parseYamlStream, valuePos } from '../../src/scenario/positions.js';

function parse(text: string) {
  const d = new Diagnostics();
  const docs = parseYamlStream(text, 'p.yaml', d);
  return { docs, d };
}

describe('YAML with positions', () => {
  test('keys, values and containers are positioned (1-based)', () => {
    const { docs } = parse('a: 1\nb:\n  - x\n  - {c: 2}\n');
    const root = docs![0]!.value as Record<string, unknown>;
    expect(docs![0]!.pos).toEqual({ file: 'p.yaml', line: 1, col: 1 });
    expect(keyPos(root, 'b')).toEqual({ file: 'p.yaml', line: 2, col: 1 });
    expect(valuePos(root, 'a')).toEqual({ file: 'p.yaml', line: 1, col: 4 });
    const list = root.b as unknown[];
    expect(containerPos(list)).toEqual({ file: 'p.yaml', line: 3, col: 3 });
    expect(valuePos(list, 1)).toEqual({ file: 'p.yaml', line: 4, col: 5 });
    expect(valuePos(list[1] as object, 'c')).toEqual({ file: 'p.yaml', line: 4, col: 9 });
  });

  test('an empty value points at its key', () => {
    const { docs } = parse('a:\nb: 1\n');
    const root = docs![0]!.value as Record<string, unknown>;
    expect(root.a).toBeNull();
    expect(valuePos(root, 'a')).toEqual({ file: 'p.yaml', line: 1, col: 1 });
  });

  test('aliases and merge keys (Kubernetes YAML honours <<)', () => {
    const { docs } = parse('base: &b {cpu: 1, memory: 2}\nx:\n  <<: *b\n  memory: 3\n');
    const root = docs![0]!.value as Record<string, Record<string, unknown>>;
    expect(root.x).toEqual({ cpu: 1, memory: 3 });
    // A merged key keeps the position where it was written.
    expect(valuePos(root.x!, 'cpu')).toEqual({ file: 'p.yaml', line: 1, col: 16 });
  });

  test('multi-document streams, with empty documents kept as null', () => {
    const { docs } = parse('a: 1\n---\n---\nb: 2\n');
    expect(docs!.map((d) => d.value)).toEqual([{ a: 1 }, null, { b: 2 }]);
  });

  test('syntax errors and duplicate keys are positioned errors', () => {
    const { docs, d } = parse('a: 1\na: 2\n');
    expect(docs).toBeNull();
    expect(d.errors().map((e) => e.format())).toEqual(['p.yaml:2:1: invalid YAML: Map keys must be unique']);
  });

  test('clonePositioned copies data and positions', () => {
    const { docs } = parse('a:\n  b: [1, 2]\n');
    const root = docs![0]!.value as Record<string, Record<string, unknown[]>>;
    const copy = clonePositioned(root);
    expect(copy).toEqual(root);
    expect(copy.a).not.toBe(root.a);
    expect(valuePos(copy.a!.b!, 1)).toEqual({ file: 'p.yaml', line: 2, col: 10 });
  });

  test('exponential alias expansion is refused', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const { docs, d } = parse(lines.join('\n') + '\n');
    expect(docs).toBeNull();
    expect(d.errors()[0]!.message).toMatch(/YAML document too large/);
  });

  test('a binary file: one error at its first NUL, not a syntax error per line', () => {
    const { docs, d } = parse('a: 1\nb: "x\u0000y"\n' + '\u0001\u0000: ]]]\n'.repeat(100));
    expect(docs).toBeNull();
    expect(d.errors().map((e) => e.format())).toEqual(['p.yaml:2:6: not a YAML file: it holds binary data (a NUL character here)']);
  });

  test('at most 20 syntax errors per file, then how many more', () => {
    const { docs, d } = parse('a: [\n' + 'b: ]]]\n'.repeat(30));
    expect(docs).toBeNull();
    const errors = d.errors().map((e) => e.format());
    expect(errors).toHaveLength(21);
    expect(errors.filter((e) => /^p\.yaml:1:1: invalid YAML: \d+ more syntax errors in this file not shown$/.test(e))).toHaveLength(1);
  });
});
