import { describe, expect, it } from 'vitest';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../src/scenario/model.js';
import {
  matchesLabelSelector,
  matchesNodeSelector,
  matchesNodeSelectorTerm,
  parseInt64,
} from '../../src/sim/cluster/selectors.js';

const labels = { zone: 'a', gen: '5', tier: 'gold', empty: '' };

function req(key: string, operator: NodeSelectorRequirement['operator'], ...values: string[]): NodeSelectorRequirement {
  return { key, operator, values };
}
function term(expr: NodeSelectorRequirement[], fields: NodeSelectorRequirement[] = []): NodeSelectorTerm {
  return { matchExpressions: expr, matchFields: fields };
}

describe('matchesLabelSelector (metav1.LabelSelector)', () => {
  it.each([
    { name: 'empty selector matches everything', sel: { matchLabels: {}, matchExpressions: [] }, want: true },
    { name: 'matchLabels equal', sel: { matchLabels: { zone: 'a' }, matchExpressions: [] }, want: true },
    { name: 'matchLabels differ', sel: { matchLabels: { zone: 'b' }, matchExpressions: [] }, want: false },
    { name: 'matchLabels missing key', sel: { matchLabels: { app: 'x' }, matchExpressions: [] }, want: false },
    { name: 'In', sel: { matchLabels: {}, matchExpressions: [req('tier', 'In', 'gold', 'silver')] }, want: true },
    { name: 'NotIn, key missing', sel: { matchLabels: {}, matchExpressions: [req('app', 'NotIn', 'x')] }, want: true },
    { name: 'NotIn, value listed', sel: { matchLabels: {}, matchExpressions: [req('zone', 'NotIn', 'a')] }, want: false },
    { name: 'Exists on an empty value', sel: { matchLabels: {}, matchExpressions: [req('empty', 'Exists')] }, want: true },
    { name: 'DoesNotExist', sel: { matchLabels: {}, matchExpressions: [req('zone', 'DoesNotExist')] }, want: false },
    {
      name: 'matchLabels AND matchExpressions',
      sel: { matchLabels: { zone: 'a' }, matchExpressions: [req('tier', 'In', 'silver')] },
      want: false,
    },
    { name: 'prototype keys are not labels', sel: { matchLabels: {}, matchExpressions: [req('constructor', 'Exists')] }, want: false },
  ] as const)('$name', ({ sel, want }) => {
    expect(matchesLabelSelector(sel as never, labels)).toBe(want);
  });
});

describe('matchesNodeSelectorTerm (nodeaffinity)', () => {
  it.each([
    { name: 'In', t: term([req('zone', 'In', 'a', 'b')]), want: true },
    { name: 'In, value not listed', t: term([req('zone', 'In', 'b')]), want: false },
    { name: 'In, key missing', t: term([req('rack', 'In', 'a')]), want: false },
    { name: 'NotIn', t: term([req('zone', 'NotIn', 'b')]), want: true },
    { name: 'NotIn, key missing matches', t: term([req('rack', 'NotIn', 'x')]), want: true },
    { name: 'Exists', t: term([req('gen', 'Exists')]), want: true },
    { name: 'DoesNotExist', t: term([req('gpu', 'DoesNotExist')]), want: true },
    // Gt / Lt parse both sides as int64: 5 > 3, 5 < 7
    { name: 'Gt', t: term([req('gen', 'Gt', '3')]), want: true },
    { name: 'Gt, equal is not greater', t: term([req('gen', 'Gt', '5')]), want: false },
    { name: 'Lt', t: term([req('gen', 'Lt', '7')]), want: true },
    { name: 'Lt, negative bound', t: term([req('gen', 'Lt', '-1')]), want: false },
    { name: 'Gt on a non-integer label', t: term([req('tier', 'Gt', '1')]), want: false },
    { name: 'Gt with a non-integer value', t: term([req('gen', 'Gt', '1.5')]), want: false },
    { name: 'Gt with two values', t: term([req('gen', 'Gt', '1', '2')]), want: false },
    { name: 'Gt, key missing', t: term([req('rack', 'Gt', '1')]), want: false },
    { name: 'In without values is invalid', t: term([req('zone', 'In')]), want: false },
    { name: 'NotIn without values is invalid', t: term([req('zone', 'NotIn')]), want: false },
    { name: 'Exists with values is invalid', t: term([req('zone', 'Exists', 'a')]), want: false },
    { name: 'requirements are ANDed', t: term([req('zone', 'In', 'a'), req('gen', 'Lt', '5')]), want: false },
    { name: 'empty term matches nothing', t: term([]), want: false },
    { name: 'matchFields metadata.name In', t: term([], [req('metadata.name', 'In', 'n1')]), want: true },
    { name: 'matchFields metadata.name NotIn', t: term([], [req('metadata.name', 'NotIn', 'n1')]), want: false },
    { name: 'matchFields needs exactly one value', t: term([], [req('metadata.name', 'In', 'n1', 'n2')]), want: false },
    { name: 'matchFields Exists is unsupported', t: term([], [req('metadata.name', 'Exists')]), want: false },
    { name: 'labels AND fields', t: term([req('zone', 'In', 'a')], [req('metadata.name', 'In', 'n2')]), want: false },
  ])('$name', ({ t, want }) => {
    expect(matchesNodeSelectorTerm(t, 'n1', labels)).toBe(want);
  });

  it('terms are ORed; no terms matches nothing; empty terms are skipped', () => {
    const miss = term([req('zone', 'In', 'b')]);
    const hit = term([req('zone', 'In', 'a')]);
    expect(matchesNodeSelector([miss, hit], 'n1', labels)).toBe(true);
    expect(matchesNodeSelector([miss], 'n1', labels)).toBe(false);
    expect(matchesNodeSelector([], 'n1', labels)).toBe(false);
    expect(matchesNodeSelector([term([]), hit], 'n1', labels)).toBe(true);
  });
});

describe('parseInt64 (strconv.ParseInt(s, 10, 64))', () => {
  it.each([
    ['42', 42n],
    ['+7', 7n],
    ['-0', 0n],
    ['9223372036854775807', 9223372036854775807n],
    ['9223372036854775808', null],
    ['-9223372036854775808', -9223372036854775808n],
    ['', null],
    [' 1', null],
    ['1_000', null],
    ['0x10', null],
    ['1e3', null],
  ])('%s -> %s', (s, want) => {
    expect(parseInt64(s)).toBe(want);
  });
});
