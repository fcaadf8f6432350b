// npm run client:generate: writes src/client/schema.d.ts, the typed client's paths, from the OpenAPI document.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateClientTypes, SCHEMA_FILE } from '../src/client/generate.js';

writeFileSync(SCHEMA_FILE, await generateClientTypes());
console.log(`wrote ${fileURLToPath(SCHEMA_FILE)}`);
