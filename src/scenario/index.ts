// Scenario loading: YAML scenario files and Kubernetes manifests -> typed `Scenario`s.
export * from './model.js';
export { census, loadScenarioFile, loadScenarioText, scenarioJsonSchema, ScenarioError } from './load.js';
export type { Census, LoadedScenario, LoadResult, Override, ScenarioPoint } from './load.js';
export { parseQuantity, milliValue, value as quantityValue, type Quantity } from './quantity.js';
export { parseDuration } from './duration.js';
