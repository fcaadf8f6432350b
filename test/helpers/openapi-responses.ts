import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { openApiDocument } from '../../src/app/openapi.routes.js';

// Every response an integration test receives through buildTestApp is checked against GET /openapi.json: its
// operation exists, its status is documented, its content type is one the operation names, its JSON body
// validates against the documented schema, and a problem's code is one the operation lists. A test file fails
// (afterEach in test-app.ts) on any response that drifted from the document.

type Doc = ReturnType<typeof openApiDocument>;
type OperationObject = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

const document = openApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');

/** `/v1/programs/{id}` as a regular expression; literal paths are tried before templated ones. */
const matchers = Object.entries((document as Doc).paths ?? {})
  .map(([template, item]) => ({
    template,
    item: item as Record<string, OperationObject>,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params);

const compiled = new Map<string, ValidateFunction>();
function validatorFor(pointer: string, schema: unknown): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    // Schemas refer to components as '#/components/…': resolve them in the document registered above.
    const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')) as object;
    validate = ajv.compile(rebased);
    compiled.set(pointer, validate);
  }
  return validate;
}

export interface Violation {
  request: string;
  status: number;
  problem: string;
}
const violations: Violation[] = [];
/** The violations seen since the last call, cleared. */
export const takeViolations = (): Violation[] => violations.splice(0);

/** Checks one response; a string says what is wrong, undefined when it matches the document. */
export function checkResponse(method: string, path: string, status: number, contentType: string | undefined, body: Buffer | undefined): string | undefined {
  const found = matchers.find((m) => m.pattern.test(path) && m.item[method.toLowerCase()]);
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!found) {
    // Unknown routes answer 404 not_found (or a problem raised before routing: a bad path, a bad token, …).
    if (mediaType === 'application/problem+json') return undefined;
    return `no operation in the document for ${method} ${path}`;
  }
  const responses = found.item[method.toLowerCase()]!.responses ?? {};
  const response = responses[String(status)];
  if (!response) return `status ${status} is not documented for ${method} ${found.template} (documented: ${Object.keys(responses).join(', ')})`;
  const content = response.content;
  if (!content) return body && body.length > 0 ? `${method} ${found.template} ${status} documents no body but one was sent` : undefined;
  if (!mediaType || !(mediaType in content))
    return `${method} ${found.template} ${status}: content type ${contentType} is not documented (${Object.keys(content).join(', ')})`;
  if (!(mediaType === 'application/json' || mediaType.endsWith('+json')) || body === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return `${method} ${found.template} ${status}: the body is not JSON`;
  }
  const validate = validatorFor(`${method} ${found.template} ${status} ${mediaType}`, content[mediaType]!.schema);
  if (validate(parsed)) return undefined;
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');
  return `${method} ${found.template} ${status}: ${errors} in ${body.toString('utf8').slice(0, 300)}`;
}

/** Bodies larger than this (a big export) are not collected: their content type is still checked. */
const MAX_COLLECTED = 4 * 1024 * 1024;

function recordResponses(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'OPTIONS' || req.method === 'HEAD') return next();
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_COLLECTED) return;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    size += buffer.length;
    if (size <= MAX_COLLECTED) chunks.push(buffer);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((...args: unknown[]) => {
    collect(args[0], args[1]);
    return write(...args);
  }) as Response['write'];
  res.end = ((...args: unknown[]) => {
    collect(args[0], args[1]);
    return end(...args);
  }) as Response['end'];
  const path = req.path;
  res.once('finish', () => {
    const contentType = res.getHeader('content-type');
    const problem = checkResponse(
      req.method,
      path,
      res.statusCode,
      typeof contentType === 'string' ? contentType : undefined,
      size > MAX_COLLECTED ? undefined : Buffer.concat(chunks),
    );
    if (problem) violations.push({ request: `${req.method} ${req.originalUrl}`, status: res.statusCode, problem });
  });
  next();
}

/** The app behind a recorder that checks every response against the OpenAPI document. */
export function validatingResponses(app: Express): Express {
  const outer = express();
  outer.disable('x-powered-by');
  outer.set('trust proxy', app.get('trust proxy'));
  outer.use(recordResponses, app);
  return outer;
}
