/**
 * Writes the API's OpenAPI 3.1 document to openapi.json, and what is made from
 * it (the web client's types, docs/api.md with the event schemas):
 * `npm run openapi` after changing a route, a schema or an event
 * (test/unit/openapi.test.ts fails until the committed files match).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generatedFiles } from '../openapi/generate';

for (const [path, text] of Object.entries(await generatedFiles())) {
  writeFileSync(resolve(path), text);
  console.log(`wrote ${path}`);
}
