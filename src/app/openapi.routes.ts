import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import { applicationsOperations } from '../applications/applications.openapi.js';
import { consoleSignInOperations } from '../console-sign-in/sign-in-codes.openapi.js';
import { contractsOperations } from '../contracts/contracts.openapi.js';
import { oversightOperations } from '../oversight/oversight.openapi.js';
import { reportsOperations } from '../reports/reports.openapi.js';
import { documentsOperations } from '../documents/documents.openapi.js';
import { usageOperations } from '../beneficiaries/usage.openapi.js';
import { ledgerOperations } from '../ledger/ledger.openapi.js';
import { probesOperations } from '../observability/probes.openapi.js';
import { programsOperations } from '../programs/programs.openapi.js';
import { providersOperations } from '../providers/providers.openapi.js';
import { redemptionsOperations } from '../redemptions/redemptions.openapi.js';
import { settlementOperations } from '../settlement/settlement.openapi.js';
import { transparencyOperations } from '../transparency/transparency.openapi.js';
import { receiptSchema } from '../transparency/transparency.schemas.js';
import { vouchersOperations } from '../vouchers/vouchers.openapi.js';
import { webhooksOperations } from '../webhooks/webhooks.openapi.js';
import { DomainError } from '../shared/errors.js';
import { pageCsp } from '../http/console.js';
import { buildOpenApiDocument, type Operation } from '../http/openapi.js';
import { parseRequest } from '../http/validate.js';

// swagger-ui-dist's own entry point loads the whole browser bundle; only its folder is needed here.
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/absolute-path.js'));
const ASSETS = { 'swagger-ui.css': 'text/css', 'swagger-ui-bundle.js': 'text/javascript', 'favicon-32x32.png': 'image/png' } as const;
const assetParams = z.object({ file: z.enum(Object.keys(ASSETS) as [keyof typeof ASSETS, ...(keyof typeof ASSETS)[]]) });

const docsOperations: Operation[] = [
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Reference',
    summary: 'This OpenAPI 3.1 document',
    access: 'public',
    responses: { 200: { description: 'the document', schema: z.object({ openapi: z.literal('3.1.0') }).catchall(z.unknown()) } },
    problems: [],
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'Reference',
    summary: 'The interactive API reference (Swagger UI, served by the service itself)',
    access: 'public',
    responses: { 200: { description: 'an HTML page', schema: z.string(), contentType: 'text/html' } },
    problems: [],
  },
  {
    method: 'get',
    path: '/docs/init.js',
    tag: 'Reference',
    summary: "The reference page's start-up script",
    access: 'public',
    responses: { 200: { description: 'a script pointing Swagger UI at /openapi.json', schema: z.string(), contentType: 'text/javascript' } },
    problems: [],
  },
  {
    method: 'get',
    path: '/docs/assets/:file',
    tag: 'Reference',
    summary: "The reference page's scripts and styles",
    access: 'public',
    params: assetParams,
    responses: { 200: { description: 'the file', schema: z.string(), contentType: Object.values(ASSETS) } },
    problems: [],
  },
];

/** The console (src/http/console.ts): a single-page app, its deep links all answered with its index.html. */
const consoleOperations: Operation[] = [
  {
    method: 'get',
    path: '/console',
    tag: 'Console',
    summary: 'Redirects to /console/',
    access: 'public',
    responses: { 301: { description: 'to /console/' } },
    problems: [],
  },
  {
    method: 'get',
    path: '/console/{*path}',
    tag: 'Console',
    summary: "The officials' and providers' web console (its own Content-Security-Policy)",
    access: 'public',
    params: z.object({ path: z.string().meta({ description: 'any deep link of the console' }) }),
    responses: {
      200: { description: "the console's page", schema: z.string(), contentType: 'text/html' },
      503: { description: 'the console is not built (npm run build)', schema: z.string(), contentType: 'text/plain' },
    },
    problems: [],
  },
];

/** Every operation the service answers, feature by feature: what GET /openapi.json documents. */
export const API_OPERATIONS: readonly Operation[] = [
  ...probesOperations,
  ...docsOperations,
  ...consoleOperations,
  ...consoleSignInOperations,
  ...programsOperations,
  ...vouchersOperations,
  ...applicationsOperations,
  ...contractsOperations,
  ...redemptionsOperations,
  ...usageOperations,
  ...ledgerOperations,
  ...providersOperations,
  ...settlementOperations,
  ...documentsOperations,
  ...oversightOperations,
  ...reportsOperations,
  ...webhooksOperations,
  ...transparencyOperations,
];

let document: ReturnType<typeof buildOpenApiDocument> | undefined;
/** Built once, on first use: the schemas do not change while the process runs. */
export const openApiDocument = () =>
  (document ??= buildOpenApiDocument(API_OPERATIONS, process.env['npm_package_version'] ?? '0.1.0', { receipt: receiptSchema }));

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>voucher-ledger API</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;
// A script of its own rather than inline, so that helmet's Content-Security-Policy (script-src 'self') holds.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });\n`;

/**
 * The reference page's Content-Security-Policy: helmet's, less `upgrade-insecure-requests` (which would send a
 * page opened over plain http on a workstation to https for its own scripts) and with the inline styles Swagger
 * UI sets at run time. Scripts stay 'self' only.
 */
const DOCS_CSP = pageCsp("'self' data:");

/** GET /openapi.json and the Swagger UI page at /docs, its assets from node_modules (nothing from a CDN). */
export function openApiRouter(): Router {
  return Router()
    .get('/openapi.json', (_req, res) => {
      res.set('Cache-Control', 'no-cache').json(openApiDocument());
    })
    .get('/docs', (_req, res) => {
      res.set('Content-Security-Policy', DOCS_CSP).type('html').send(DOCS_PAGE);
    })
    .get('/docs/init.js', (_req, res) => {
      res.type('text/javascript').send(DOCS_INIT);
    })
    .get('/docs/assets/:file', (req, res, next) => {
      const { file } = parseRequest(assetParams, req.params, 'params');
      res.type(ASSETS[file]).set('Cache-Control', 'public, max-age=86400');
      res.sendFile(join(SWAGGER_UI, file), (err) => (err ? next(new DomainError('not_found', `${file} not found`)) : undefined));
    });
}
