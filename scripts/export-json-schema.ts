// Writes docs/json-schema/*.schema.json from libs/contracts (the single source of truth).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaFiles } from '../libs/contracts/src/json-schema';

const dir = join(__dirname, '..', 'docs', 'json-schema');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(join(dir, file), JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote docs/json-schema/${file}`);
}
