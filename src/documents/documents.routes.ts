import { pipeline } from 'node:stream/promises';
import { type Response, Router } from 'express';
import { actorAs, authenticate } from '../auth/auth.middleware.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { Deps } from '../deps.js';
import { requestPolicy } from '../http/request-policy.js';
import { parseRequest } from '../http/validate.js';
import { requireWellFormedText } from '../http/well-formed.js';
import { DomainError, fieldErrorsOf } from '../shared/errors.js';
import type { DocumentMeta } from './documents.model.js';
import { documentNameSchema, documentParams, uploadDocumentQuery } from './documents.schemas.js';
import { createDocumentService, type DocumentService } from './documents.service.js';
import { receiveUpload } from './documents.upload.js';

/** A multipart part's filename as the document's name: refused as the `filename` field when it is not one. */
function filenameAsName(filename: string | undefined): string | undefined {
  if (filename === undefined || filename === '') return undefined;
  const parsed = documentNameSchema.safeParse(filename);
  if (!parsed.success) throw DomainError.validation(fieldErrorsOf(parsed.error, 'filename'));
  return parsed.data;
}

/** RFC 6266: an ASCII fallback for old clients, and the name itself as RFC 8187 UTF-8. */
export function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

async function sendContent(res: Response, documents: DocumentService, actor: Parameters<DocumentService['open']>[0], sha256: string) {
  const { document, content } = await documents.open(actor, sha256);
  res.status(200);
  res.setHeader('Content-Type', document.contentType);
  res.setHeader('Content-Length', String(document.size));
  res.setHeader('Content-Disposition', attachment(document.name));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Never rendered as a page of this origin, whatever a browser makes of it.
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  await pipeline(content, res);
}

/**
 * POST /v1/documents, mounted before the app's JSON body parser: the body is the document, whatever its
 * Content-Type says, and this route reads it itself (after authentication, the role check and the query).
 * Before the parser, it runs the checks every /v1 route gets after it: text well-formed, the declared query.
 */
export function documentUploadRouter(deps: Deps, verifyToken: TokenVerifier): Router {
  const documents = createDocumentService(deps);
  return Router().post('/v1/documents', requireWellFormedText, requestPolicy, authenticate(verifyToken), async (req, res) => {
    const actor = actorAs(res, 'enterprise', 'provider', 'issuer');
    const { name } = parseRequest(uploadDocumentQuery, req.query, 'query');
    const upload = await receiveUpload(req, deps.config.DOCUMENT_MAX_BYTES);
    let answer: { created: boolean; document: DocumentMeta };
    try {
      answer = await documents.upload(actor, upload.file, name ?? filenameAsName(upload.file.filename));
    } finally {
      await upload.discard();
    }
    res.status(answer.created ? 201 : 200).json(answer.document);
  });
}

/** GET /v1/documents/:sha256 (the bytes) and /meta: for whoever may read the document, 404 for anyone else. */
export function documentsRouter(deps: Deps): Router {
  const documents = createDocumentService(deps);
  return Router()
    .get('/v1/documents/:sha256', async (req, res) => {
      const actor = actorAs(res, 'enterprise', 'provider', 'issuer', 'auditor');
      await sendContent(res, documents, actor, parseRequest(documentParams, req.params, 'params').sha256);
    })
    .get('/v1/documents/:sha256/meta', async (req, res) => {
      const actor = actorAs(res, 'enterprise', 'provider', 'issuer', 'auditor');
      res.json(await documents.meta(actor, parseRequest(documentParams, req.params, 'params').sha256));
    });
}
