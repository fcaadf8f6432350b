import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Role } from '../auth/actor.js';
import { statusOf } from './problems.js';

// `.openapi()` and registered-schema extension (the per-route Problem with its codes) need zod extended once.
extendZodWithOpenApi(z);

/**
 * One operation of the API as the document describes it. Each feature lists its operations beside its router
 * (`*.openapi.ts`), from the same zod schemas the router validates with; a test walks express's router stack
 * and fails on any route the document misses, and the integration tests validate every response they see
 * against the operation's response schemas and problem codes (decision 0023).
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** As express writes it: `/v1/programs/:id`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it: the token roles (and a sentence on their scope), none, or the metrics token. */
  access: { roles: Role[]; scope: string } | 'public' | 'metrics';
  params?: z.ZodObject;
  query?: z.ZodType;
  /** A JSON body (optional when `bodyOptional`), or a CSV one. */
  body?: z.ZodType;
  bodyOptional?: boolean;
  csvBody?: boolean;
  /** A body that is a file, not JSON (read by the route itself): each media type it may be sent as, with its schema. */
  fileBody?: Record<string, z.ZodType>;
  /** A write through the unit of work: it takes an Idempotency-Key and may answer busy, conflict, … */
  write?: boolean;
  /** Paged with `limit` and `cursor`: its 200 carries `Link: rel="next"`. */
  paged?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string | string[] }>;
  /** Problem codes of this operation besides those every operation of its kind can answer (below). */
  problems: string[];
}

/** Any request can be refused before its route runs: a bad path, query text or body, a body too large, a bug. */
const EVERY_OPERATION = [
  'validation_failed',
  'malformed_json',
  'malformed_body',
  'malformed_path',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
];
/** Every bearer-token operation: no token, a bad one, too many failures from one address, the wrong role or scope. */
const AUTHENTICATED = ['missing_token', 'invalid_token', 'too_many_auth_failures', 'forbidden'];
/** Every write goes through the unit of work: the ledger lock, idempotency and the database's own checks. */
const WRITES = ['idempotency_conflict', 'conflict', 'invariant_violated', 'amount_out_of_range', 'busy'];

/** Every problem code an operation can answer, sorted. */
export function problemCodesOf(op: Operation): string[] {
  const codes = new Set([...EVERY_OPERATION, ...op.problems]);
  if (op.access !== 'public')
    for (const code of op.access === 'metrics' ? ['missing_token', 'invalid_token', 'too_many_auth_failures'] : AUTHENTICATED) codes.add(code);
  if (op.write) for (const code of WRITES) codes.add(code);
  return [...codes].sort();
}

export const problemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:voucher-ledger:problem:validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    instance: z.string().optional(),
    field: z.string().optional().meta({ description: 'the field, query or path parameter or header at fault' }),
    errors: z
      .array(
        z.object({
          field: z.string().meta({ description: 'keys dotted, array positions in brackets: `beneficiary.uscc`, `services[0].code`, `body[2].amount`' }),
          message: z.string(),
          messageEn: z
            .string()
            .optional()
            .meta({ description: 'the English message, when the problem is in Chinese (Accept-Language: zh) and the message has a translation' }),
        }),
      )
      .optional(),
    retryAfterSeconds: z.number().int().optional(),
    detailEn: z.string().optional().meta({ description: 'the English detail, when the problem is in Chinese (Accept-Language: zh)' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details; `code` is stable and what a client acts on' });

/** express `/v1/programs/:id` → OpenAPI `/v1/programs/{id}` (and a wildcard `{*path}` → `{path}`). */
export const openApiPath = (path: string) => path.replace(/\{\*([A-Za-z0-9_]+)\}/g, '{$1}').replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/)
  .optional()
  .openapi({
    param: {
      name: 'Idempotency-Key',
      in: 'header',
      description:
        'Send the same key again with the same request to get the first answer replayed (`Idempotent-Replayed: true`) instead of a second write; another request with the key is `409 idempotency_conflict`. Scoped to the caller; kept 30 days by default.',
    },
    example: '2f1c0c9e-4f6b-4a53-9a36-0d1c2b5f8e11',
  });

function roleText(op: Operation): string {
  if (op.access === 'public') return 'No authentication.';
  if (op.access === 'metrics') return 'Bearer `METRICS_TOKEN` when it is set; open outside production when it is not.';
  return `Bearer JWT, role ${op.access.roles.map((r) => `\`${r}\``).join(' or ')}: ${op.access.scope}`;
}

function problemResponses(op: Operation): Record<number, ResponseConfig> {
  const byStatus = new Map<number, string[]>();
  for (const code of problemCodesOf(op)) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  const responses: Record<number, ResponseConfig> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, { description: string; schema: { type: 'string' } }> = {};
    if (status === 401) headers['WWW-Authenticate'] = { description: 'RFC 6750 bearer challenge', schema: { type: 'string' } };
    if (status === 429 || status === 503)
      headers['Retry-After'] = { description: 'seconds to wait before sending the same request again', schema: { type: 'string' } };
    responses[status] = {
      description: `Problem: ${codes.map((c) => `\`${c}\``).join(', ')}`,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: { 'application/problem+json': { schema: problemSchema.extend({ code: z.enum(codes as [string, ...string[]]) }) } },
    };
  }
  return responses;
}

/** A write's JSON object answer may carry the receipt of the entries it appended (decision 0026). */
/** What the composition root adds to every write's answer (the receipt, decision 0026), by member name. */
export type WriteAnswerMembers = Record<string, z.ZodType>;

const withWriteMembers = (op: Operation, schema: z.ZodType, members: WriteAnswerMembers): z.ZodType =>
  op.write && schema instanceof z.ZodObject
    ? schema.extend(Object.fromEntries(Object.entries(members).map(([name, member]) => [name, member.optional()])))
    : schema;

function routeConfig(op: Operation, writeMembers: WriteAnswerMembers): RouteConfig {
  const request: NonNullable<RouteConfig['request']> = {};
  if (op.params) request.params = op.params;
  if (op.query) request.query = op.query as z.ZodObject;
  if (op.write) request.headers = z.object({ 'Idempotency-Key': idempotencyKey });
  if (op.body) request.body = { required: !op.bodyOptional, content: { 'application/json': { schema: op.body } } };
  if (op.csvBody) request.body = { required: true, content: { 'text/csv': { schema: z.string() } } };
  if (op.fileBody) request.body = { required: true, content: Object.fromEntries(Object.entries(op.fileBody).map(([type, schema]) => [type, { schema }])) };
  const responses: Record<number, ResponseConfig> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const headers: Record<string, { description: string; schema: { type: 'string' } }> = {};
    if (op.paged && status === '200')
      headers['Link'] = { description: 'RFC 8288 `<…>; rel="next"`: the next page, when there is one', schema: { type: 'string' } };
    if (op.write)
      headers['Idempotent-Replayed'] = {
        description: '`true` when this answer replays an earlier request with the same Idempotency-Key',
        schema: { type: 'string' },
      };
    responses[Number(status)] = {
      description: response.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(response.schema
        ? {
            content: Object.fromEntries(
              [response.contentType ?? 'application/json'].flat().map((type) => [type, { schema: withWriteMembers(op, response.schema!, writeMembers) }]),
            ),
          }
        : {}),
    };
  }
  return {
    method: op.method,
    path: openApiPath(op.path),
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: [roleText(op), op.description].filter(Boolean).join('\n\n'),
    ...(op.access === 'public' ? { security: [] } : { security: [op.access === 'metrics' ? { metricsToken: [] } : { bearer: [] }] }),
    ...(op.access !== 'public' && op.access !== 'metrics' ? { 'x-roles': op.access.roles } : {}),
    request,
    responses: { ...responses, ...problemResponses(op) },
  };
}

/** `GET /v1/programs/:id/funding/:region/confirm` → `postProgramsIdFundingRegionConfirm`: stable, unique per route. */
function operationId(op: Operation): string {
  const words = op.path
    .replace(/^\/v1\//, '/')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return op.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export const API_DESCRIPTION = `Zhejiang AI subsidy vouchers: issuers fund programs and issue vouchers, providers register contracts and redeem them, finance bureaus pay providers, auditors read and verify the ledger.

Every \`/v1\` call needs \`Authorization: Bearer <JWT>\` with \`exp\`, \`sub\`, \`role\` and \`region\` (issuer, auditor) or \`org\` (provider, its USCC). Amounts are strings of yuan with two decimals. Every error is \`application/problem+json\` with a stable \`code\`; each operation lists the codes it can answer. \`Accept-Language: zh\` gives problems in Chinese. Lists page with \`limit\` (default 50, at most 200) and the opaque \`cursor\` of the previous page's \`nextCursor\`.`;

/** The OpenAPI 3.1 document of these operations; `writeMembers` are documented on every write's answer. */
export function buildOpenApiDocument(operations: readonly Operation[], version: string, writeMembers: WriteAnswerMembers = {}) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'claims: exp, sub, role (issuer | provider | auditor), region or org',
  });
  registry.registerComponent('securitySchemes', 'metricsToken', { type: 'http', scheme: 'bearer', description: 'the METRICS_TOKEN setting' });
  for (const op of operations) registry.registerPath(routeConfig(op, writeMembers));
  const tags = [...new Set(operations.map((op) => op.tag))].map((name) => ({ name }));
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'voucher-ledger', version, description: API_DESCRIPTION },
    tags,
    security: [{ bearer: [] }],
  });
  // A query default held as a bigint (afterSeq=0n) is written as the query string a client would send.
  return JSON.parse(JSON.stringify(document, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as typeof document;
}

/**
 * Compile-time drift check for views typed by an interface rather than by z.infer: `Documents<typeof schema, View>`
 * fails to compile unless every View the service returns is a value of the documented schema.
 */
export type Documents<Schema extends z.ZodType, View extends z.infer<Schema>> = View;
