import openapiTS, { astToString } from 'openapi-typescript';
import { buildApiDoc } from './api-doc';
import { buildOpenApiDocument } from './document';

/** The committed files made from the OpenAPI document, by path from the repo root. */
export const generatedFiles = async (): Promise<Record<string, string>> => {
  const document = buildOpenApiDocument();
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return {
    'openapi.json': `${JSON.stringify(document, null, 2)}\n`,
    'web/src/api/schema.d.ts': `// Generated from openapi.json by \`npm run openapi\`: do not edit.\n\n${astToString(ast)}`,
    'docs/api.md': buildApiDoc(document),
  };
};
