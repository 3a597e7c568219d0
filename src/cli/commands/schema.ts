// `kubesim-des schema`: the scenario file's JSON Schema, for editor completion
// (e.g. `# yaml-language-server: $schema=./kubesim.schema.json`).

import { scenarioJsonSchema } from '../../scenario/schema.js';

export function schemaCommand(): void {
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
}
