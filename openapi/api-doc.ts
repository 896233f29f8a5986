import { z } from 'zod';
import { OUTGOING_SOURCE, OutgoingEventSchemas, PAYMENT_SOURCE, PaymentEventSchemas } from '../core/events';
import { ADMIN_SCOPE } from '../functions/manifest';
import type { OpenApiDocument } from './document';

/**
 * docs/api.md, written from the OpenAPI document and the event schemas (the
 * same objects the handlers and the event parsers validate with), so the API
 * reference in the repository cannot drift from the code: `npm run openapi`
 * writes it, and test/unit/openapi.test.ts fails while it is stale.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  discriminator?: unknown;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Response = { description: string; content?: Record<string, { schema?: Schema }>; headers?: Record<string, { description?: string; schema?: Schema }> };
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** A schema's type in a few words: `string`, `integer ≥ 0`, `[File](#file)[]`, `"a" \| "b"`, `… or null`. */
const typeOf = (schema: Schema | undefined): string => {
  if (!schema) return 'any';
  if (schema.$ref) return `[${refName(schema.$ref)}](#${anchor(refName(schema.$ref))})`;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const named = [...new Set(variants.map(typeOf))];
    // `undefined` (an optional field) has no JSON Schema: zod writes it as `{}`, which says nothing here.
    return (named.length > 1 ? named.filter((t) => t !== 'any') : named).join(' or ');
  }
  if (schema.allOf?.length === 1) return typeOf(schema.allOf[0]);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const nullable = types.includes('null');
  const base = types.find((t) => t !== 'null');
  let text: string;
  if (base === 'array') text = `${typeOf(schema.items)}[]`;
  else if (base === 'object' && !schema.properties && schema.additionalProperties && typeof schema.additionalProperties === 'object')
    text = `map of ${typeOf(schema.additionalProperties)}`;
  else if (!base) return nullable ? 'null' : 'any';
  else text = base;
  // JSON Schema spells z.int()'s safe-integer range out; it says nothing a reader needs.
  const bound = (n: number | undefined) => n !== undefined && Math.abs(n) !== Number.MAX_SAFE_INTEGER;
  const bounds = [
    bound(schema.minimum) ? `≥ ${schema.minimum}` : '',
    bound(schema.maximum) ? `≤ ${schema.maximum}` : '',
    schema.maxLength !== undefined ? `≤ ${schema.maxLength} chars` : '',
    schema.format ? `(${schema.format})` : '',
  ].filter(Boolean);
  return `${text}${bounds.length ? ` ${bounds.join(', ')}` : ''}${nullable ? ' or null' : ''}`;
};

/** The object a field holds, directly or as the items of a list, when it is written inline (not a named shape). */
const inlineObject = (field: Schema): { schema: Schema; suffix: string } | undefined => {
  if (field.properties) return { schema: field, suffix: '' };
  if (field.items?.properties) return { schema: field.items, suffix: '[]' };
  return undefined;
};

/** One row per field; the fields of inline objects follow, dotted (`lines[].productId`). */
const fieldRows = (schema: Schema, prefix = ''): string[] =>
  Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const required = schema.required?.includes(name);
    const notes = [field.description, field.default !== undefined ? `default \`${JSON.stringify(field.default)}\`` : ''].filter(Boolean).join('; ');
    const nested = inlineObject(field);
    return [
      `| \`${prefix}${name}\`${required ? '' : ' (optional)'} | ${cell(typeOf(field))} | ${cell(notes)} |`,
      ...(nested ? fieldRows(nested.schema, `${prefix}${name}${nested.suffix}.`) : []),
    ];
  });

const fieldTable = (schema: Schema): string => {
  const rows = fieldRows(schema);
  return rows.length === 0 ? '' : ['| field | type | notes |', '|---|---|---|', ...rows].join('\n');
};

/** A component schema: its fields, or its variants (a discriminated union). */
const shapeSection = (name: string, schema: Schema) => {
  const lines = [`### ${name}`, ''];
  if (schema.description) lines.push(schema.description, '');
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && !schema.properties) {
    for (const [i, variant] of variants.entries()) lines.push(`Variant ${i + 1}:`, '', fieldTable(variant) || typeOf(variant), '');
  } else lines.push(fieldTable(schema) || typeOf(schema), '');
  return lines.join('\n');
};

const ERROR_CODE = /`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})`/g;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const operationsOf = (document: OpenApiDocument) =>
  Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = (item as Record<string, Operation | undefined>)[method];
      return operation ? [{ key: `${method.toUpperCase()} ${path}`, operation }] : [];
    }),
  );

const requestSection = (operation: Operation): string[] => {
  const lines: string[] = [];
  const params = operation.parameters ?? [];
  if (params.length > 0) {
    lines.push('| parameter | in | type | notes |', '|---|---|---|---|');
    for (const p of params) {
      lines.push(
        `| \`${p.name}\`${p.required ? '' : ' (optional)'} | ${p.in} | ${cell(typeOf(p.schema))} | ${cell(p.description ?? p.schema?.description ?? '')} |`,
      );
    }
    lines.push('');
  }
  const body = operation.requestBody?.content?.['application/json']?.schema;
  if (body) {
    const intro = `Body${operation.requestBody?.required ? '' : ' (optional)'}`;
    const note = operation.requestBody?.description ? ` ${operation.requestBody.description}` : '';
    if (body.properties) lines.push(`${intro}, JSON:${note}`, '', fieldTable(body), '');
    else lines.push(`${intro}: ${typeOf(body)}.${note}`, '');
  }
  return lines;
};

const responsesSection = (operation: Operation): string[] => [
  '| status | answer |',
  '|---|---|',
  ...Object.entries(operation.responses).map(([status, response]) => {
    const schema = response.content?.['application/json']?.schema;
    const headers = Object.keys(response.headers ?? {});
    return `| ${status} | ${cell(response.description)}${schema ? ` → ${cell(typeOf(schema))}` : ''}${headers.length ? ` (headers: ${headers.map((h) => `\`${h}\``).join(', ')})` : ''} |`;
  }),
  '',
];

const EVENT_EFFECTS: Record<string, string> = {
  PaymentSucceeded:
    'One download link per (invoice, digital product, file); repeats return the same links. Lines whose product is not a digital product on sale (unknown, `isDigital: false` or archived) are physical goods. No `customerId` with digital lines: nothing is created and `DeliveryRejected` `CUSTOMER_ACCOUNT_REQUIRED` is sent.',
  PaymentOnHold: "The invoice's links are suspended (none are created while on hold); a later `PaymentSucceeded` lifts the hold.",
  PaymentRefunded: 'Links revoked for good; an older `PaymentSucceeded` arriving later does not bring them back.',
  DigitalProductDelivered:
    'Once per invoice and generation, after its links exist (a regenerate announces the new links again). The delivery email is built from it.',
  InvoiceCompleted: 'A paid invoice whose lines are all digital, once its links exist.',
  DeliveryRejected: 'A paid invoice that cannot be delivered (or, with `productIds`, some of its lines).',
};

const eventSection = (source: string, type: string, schema: z.ZodType) => {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Schema;
  return [`### ${type}`, '', `Source \`${source}\`, detail-type \`${type}\`. ${EVENT_EFFECTS[type] ?? ''}`.trim(), '', fieldTable(json), ''].join('\n');
};

const INTRO = `# The API and the events

Generated by \`npm run openapi\` from the OpenAPI document (\`openapi.json\`, also served at
\`GET /openapi.json\`) and the event schemas in \`core/events.ts\`; do not edit by hand.
The README explains how the system is built; this page is its outside: routes, shapes,
error codes, events in and out, and the local runtime.

## Who calls

- **Customers** send a JWT from the shop's identity provider (Cognito or any OIDC issuer) as
  \`Authorization: Bearer <JWT>\`; \`sub\` is the customer id. The handlers read it from the
  authorizer's claims, never from the path, query or body.
- **Operators** send a JWT whose \`scope\` claim contains \`${ADMIN_SCOPE}\` (every \`/admin/*\` route).
- **A person who opens a \`downloadUrl\` in a browser** (a link in the delivery email, a
  bookmark) sends no bearer. That top-level navigation (\`Sec-Fetch-Mode: navigate\`, or an
  \`Accept\` with \`text/html\`) is answered \`302\` to \`/account/downloads#download=<token>\`
  (\`Cache-Control: no-store\`, \`Referrer-Policy: no-referrer\`): the customer page signs the
  customer in, then calls \`GET /downloads/{token}\` with the bearer and
  \`Accept: application/json\` and starts the download, through the same check and count. The
  token travels in the URL fragment, which browsers never send to a server, so it is in no
  access log. Any other request without a bearer (curl's \`Accept: */*\`, a script) gets the
  \`401\` JSON. One rule, \`functions/shared/browser-path.ts\`, applied by the local runtime and
  by CloudFront in AWS.

## Errors

Every error is JSON: \`{ "error": { "code": "LINK_EXPIRED", "message": "…", "details"?: … } }\`.
\`message\` is written for people; \`code\` is for programs. For invalid input (\`400 INVALID_INPUT\`)
\`details\` lists each field: \`[{ "path": "maxDownloadsPerLink", "message": "must be a whole number" }]\`
(\`path\` is dotted, \`fileIds.1\` for a list entry). Status codes: 400 invalid input, 401 no or bad
JWT, 403 not allowed, 404 unknown, 409 the state forbids it, 410 gone (expired, limit reached),
412 a precondition header failed (nothing changed), 413 body too large, 415 not JSON, 429
throttled (with \`Retry-After\`), 503 a store is down (with \`Retry-After\`). In AWS, API Gateway
answers bad JWTs itself with \`{"message": …}\`.

## Conditional writes of products

\`GET\` and \`PUT /admin/products/{productId}\` answer an \`ETag\`: the product's \`version\`, quoted
(\`"3"\`). \`PUT\` with \`If-None-Match: *\` only creates (\`412 PRECONDITION_FAILED\` when the
product exists, which stays as it was); with \`If-Match: "3"\` it only updates version 3 (\`412\`
once someone else has saved). Each is one DynamoDB conditional write on \`version\`, not a
read followed by a blind write. Without either header a \`PUT\` creates, or merges the fields it
names onto the current version. Archiving is \`POST …/archive\` and \`…/unarchive\` (no delete:
a product's id stays in the links sold, and the shop may sell it again).
`;

const LOCAL_RUNTIME = `## The local runtime (\`npm start\`)

The same handlers behind a local API Gateway (routing, the JWT authorizer), embedded
DynamoDB Local and s3rver, a local EventBridge bus and the streams poller. None of the
\`/_local/*\` endpoints exists in AWS.

| endpoint | what |
|---|---|
| \`GET /_local/token?sub=<id>[&scope=${ADMIN_SCOPE}][&email=…]\` | mints a JWT the local authorizer accepts (\`{ token, tokenType, expiresIn }\`) |
| \`GET /.well-known/jwks.json\` | the local signing key of those JWTs |
| \`GET /_local/idle\` | \`{ "idle": true }\` once every event and stream record is processed (waits up to 20 s; \`false\` if not) |
| \`GET /_local/events?detailType=&source=\` | the events the bus has seen |
| \`GET /_local/outbox\` | the emails kept under \`$DATA_DIR/outbox/\` (raw MIME \`.eml\`) |
| \`GET /_local/dead-letters\` | what was parked, with its reason |
| \`POST /_local/rotate-signing-key\` | rotates the link-signing key (old links keep working) |
| \`POST /_aws/events/\` | EventBridge \`PutEvents\` (\`new EventBridgeClient({ endpoint: API + '/_aws/events' })\`) |
| \`GET /openapi.json\` | the OpenAPI 3.1 document, with this runtime as its server |
| \`/console/\`, \`/account/downloads\` | the operator console and the customer page |

| variable | default | meaning |
|---|---|---|
| \`PORT\` | \`3000\` | the API |
| \`DATA_DIR\` | \`.data\` | tables, files, keys, events, dead letters and \`outbox/\`; kept across restarts |
| \`PUBLIC_BASE_URL\` | \`http://127.0.0.1:$PORT\` | where \`downloadUrl\`s point |
| \`DYNAMODB_ENDPOINT\`, \`S3_ENDPOINT\` | unset | engines that already run, instead of the embedded ones |

\`npm start\` prints \`export API=… DATA_DIR=…\` for the port and directory in use, and commands
that read those two variables; \`scripts/send-event.ts --api "$API" <detail-type> '<detail JSON>'\`
sends a payment event through the AWS SDK.
`;

export const buildApiDoc = (document: OpenApiDocument): string => {
  const operations = operationsOf(document);
  const byTag = (tag: string) => operations.filter((o) => o.operation.tags?.includes(tag));
  const overview = (tag: string) => [
    '| route | what |',
    '|---|---|',
    ...byTag(tag).map(({ key, operation }) => `| [\`${key}\`](#${anchor(key)}) | ${cell(operation.summary ?? '')} |`),
  ];
  const details = operations.map(({ key, operation }) =>
    [
      `### ${key}`,
      '',
      operation.summary ? `${operation.summary}.` : '',
      '',
      operation.description ?? '',
      '',
      ...requestSection(operation),
      ...responsesSection(operation),
    ]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n'),
  );

  const codes = new Map<string, { statuses: Set<string>; routes: Set<string> }>();
  for (const { key, operation } of operations) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (Number(status) < 400) continue;
      for (const match of response.description.matchAll(ERROR_CODE)) {
        const code = match[1] as string;
        const entry = codes.get(code) ?? { statuses: new Set(), routes: new Set() };
        entry.statuses.add(status);
        entry.routes.add(key);
        codes.set(code, entry);
      }
    }
  }
  const codeRows = [...codes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([code, { statuses, routes }]) =>
        `| \`${code}\` | ${[...statuses].sort().join(', ')} | ${routes.size > 4 ? 'many routes' : [...routes].map((r) => `\`${r}\``).join(', ')} |`,
    );

  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  return `${[
    INTRO,
    '## Routes',
    '',
    'Customer routes (a customer JWT):',
    '',
    ...overview('customer'),
    '',
    `Admin routes (scope \`${ADMIN_SCOPE}\`):`,
    '',
    ...overview('admin'),
    '',
    'Lists are newest first unless a route says otherwise, and page with `?limit=&cursor=` (`nextCursor` is `null` on the last page). Unlimited values are `null`.',
    '',
    ...details,
    '## Shapes',
    '',
    ...Object.entries(schemas).map(([name, schema]) => shapeSection(name, schema)),
    '## Error codes',
    '',
    'Any route may also answer `UNAUTHORIZED` (401), `INVALID_INPUT` or `INVALID_JSON` (400), `BODY_TOO_LARGE` (413), `UNSUPPORTED_MEDIA_TYPE` (415), a 429 when throttled and `INTERNAL_ERROR` (500); admin routes `ADMIN_SCOPE_REQUIRED` (403). The codes each route documents:',
    '',
    '| code | status | routes |',
    '|---|---|---|',
    ...codeRows,
    '',
    '## Events in',
    '',
    `On EventBridge, source \`${PAYMENT_SOURCE}\`. Every detail has \`invoiceId\` and \`occurredAt\` (ISO 8601; more than 24 hours ahead of the receiver's clock is malformed). Events may arrive more than once and out of order: \`occurredAt\` decides which state wins (a refund is final), and a replay changes nothing. A malformed event is parked in the dead-letter queue with its reason.`,
    '',
    ...Object.entries(PaymentEventSchemas).map(([type, schema]) => eventSection(PAYMENT_SOURCE, type, schema)),
    '## Events out',
    '',
    `On EventBridge, source \`${OUTGOING_SOURCE}\`, each checked against its schema before it is published. Delivery is at least once; the effects are exactly once.`,
    '',
    ...Object.entries(OutgoingEventSchemas).map(([type, schema]) => eventSection(OUTGOING_SOURCE, type, schema as z.ZodType)),
    LOCAL_RUNTIME,
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
};
