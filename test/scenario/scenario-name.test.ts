// metadata.name names the result folder (results/<name>/), so it is checked as a Kubernetes
// object name (kube: IsDNS1123Subdomain): no '/', no '..', nothing outside results/.
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { errorsOf, FIXTURES, load, loaded, scenario } from './helpers.js';

const named = (name: string) => scenario('').replace('metadata: {name: t}', `metadata: {name: ${JSON.stringify(name)}}`);
const RULE = "it names the result folder (results/<name>/), so like a Kubernetes object name it must be lower case letters, digits, '-' and '.', start and end with a letter or digit, at most 253 characters";

describe('metadata.name', () => {
  test.each(['../../escape', 'a/b', '..', '.hidden', 'Web', 'my_scenario', 'a..b', 'web-', 'a b', 'x'.repeat(254)])('%s: an error at the name', (name) => {
    // line 3: `metadata: {name: "..."}`, the value at column 18
    expect(errorsOf(load(named(name)))).toEqual([`s.yaml:3:18: metadata.name: ${JSON.stringify(name)} is not a valid name: ${RULE}`]);
  });

  test.each(['t', 'web-drain', 'quickstart.v2', '0', 'x'.repeat(253)])('%s: loads', (name) => {
    expect(loaded(load(named(name))).name).toBe(name);
  });

  test('without metadata.name: the file name, as before; a file name that leaves nothing usable is an error', () => {
    const text = scenario('').replace('metadata: {name: t}\n', '');
    expect(loaded(load(text)).name).toBe('s');
    expect(loaded(loadScenarioText(text, 'My_Scenario.yaml', [], FIXTURES)).name).toBe('My_Scenario');
    expect(errorsOf(loadScenarioText(text, '...yaml', [], FIXTURES))).toEqual([
      '...yaml:1:1: the document: set metadata.name: the file name gives no usable result folder name ("..")',
    ]);
  });
});
