import type { Operation } from '../http/openapi.js';
import { DOCUMENT_TYPES } from './documents.model.js';
import { binarySchema, documentMetaSchema, documentParams, multipartUploadSchema, uploadDocumentQuery } from './documents.schemas.js';

const tag = 'Documents';
const readers = {
  roles: ['enterprise', 'provider', 'issuer', 'auditor'],
  scope:
    'an uploader of the bytes (the same role and org, or region for an issuer), or a reader of a record citing the document: the enterprise or provider it names, the issuer of its region, an auditor whose region covers it. Anyone else is answered `404`, as for a document that does not exist.',
} satisfies Operation['access'];

const TYPES = Object.keys(DOCUMENT_TYPES);

export const documentsOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/documents',
    tag,
    summary: 'Upload an evidence document',
    description:
      'The body is the file itself, or a `multipart/form-data` body with exactly one file part. Its type is detected from its bytes, whatever `Content-Type` says: PDF, OFD (a ZIP with `OFD.xml` at its root), XML (UTF-8), JPEG or PNG; anything else is `415 unsupported_document_type`. At most `DOCUMENT_MAX_BYTES` (20 MB by default), else `413 document_too_large`. A document is its SHA-256: the same bytes uploaded again are the same document, answered `200` with its first name. No Idempotency-Key: an upload is idempotent by its content.',
    access: { roles: ['enterprise', 'provider', 'issuer'], scope: 'any enterprise, provider or issuer; the uploader may read it back' },
    query: uploadDocumentQuery,
    fileBody: {
      ...Object.fromEntries(TYPES.map((type) => [type, binarySchema])),
      'application/octet-stream': binarySchema,
      'multipart/form-data': multipartUploadSchema,
    },
    responses: {
      201: { description: 'the document, stored', schema: documentMetaSchema },
      200: { description: 'the same bytes were stored already: that document (its first name kept)', schema: documentMetaSchema },
    },
    problems: ['unsupported_document_type', 'document_too_large'],
  },
  {
    method: 'get',
    path: '/v1/documents/:sha256',
    tag,
    summary: "A document's bytes",
    description:
      "With its detected `Content-Type`, `Content-Disposition: attachment` naming it (`filename*=UTF-8''…`), `X-Content-Type-Options: nosniff` and a sandboxing `Content-Security-Policy`.",
    access: readers,
    params: documentParams,
    responses: { 200: { description: 'the bytes as uploaded', schema: binarySchema, contentType: TYPES } },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v1/documents/:sha256/meta',
    tag,
    summary: "A document's name, size and type",
    access: readers,
    params: documentParams,
    responses: { 200: { description: 'the document', schema: documentMetaSchema } },
    problems: ['not_found'],
  },
];
