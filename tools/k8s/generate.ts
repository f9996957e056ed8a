import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from './kafka-resources';

/** `npm run k8s:generate`: rewrites the Kafka topics and users in k8s/base/kafka from libs/contracts. */
const root = join(__dirname, '..', '..');
for (const [file, content] of Object.entries(generatedFiles())) {
  writeFileSync(join(root, file), content);
  console.log(`wrote ${file}`);
}
