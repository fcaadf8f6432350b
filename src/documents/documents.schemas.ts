import { z } from 'zod';
import { DOCUMENT_TYPES, type DocumentType } from './documents.model.js';

const SHA256_MESSAGE = 'must be a SHA-256: 64 lowercase hexadecimal digits';
export const sha256Schema = z.string({ error: SHA256_MESSAGE }).regex(/^[0-9a-f]{64}$/, SHA256_MESSAGE);

/**
 * A document's name, as it is offered for download: visible text of at most 255 characters, no control
 * characters, no slash or backslash (a name, not a path) and no whitespace around it.
 */
export const documentNameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[^\s\p{C}/\\](?:[^\p{C}/\\\u2028\u2029]*[^\s\p{C}/\\])?$/u, 'must be a file name without control characters, slashes or surrounding whitespace');

/** POST /v1/documents: the name of a raw body (a multipart part names itself). */
export const uploadDocumentQuery = z.strictObject({
  name: documentNameSchema.optional().meta({ description: "the document's name; default: a multipart part's filename, else `<sha256 prefix>.<ext>`" }),
});

export const documentParams = z.strictObject({ sha256: sha256Schema.meta({ description: 'SHA-256 of the bytes, lowercase hex' }) });

export const documentTypeSchema = z.enum(Object.keys(DOCUMENT_TYPES) as [DocumentType, ...DocumentType[]]);

export const documentMetaSchema = z
  .strictObject({
    sha256: z.string().meta({ description: 'SHA-256 of the bytes, lowercase hex: the document’s id' }),
    size: z.number().int().meta({ description: 'bytes' }),
    contentType: documentTypeSchema.meta({ description: 'as detected from the bytes' }),
    name: z.string().meta({ description: 'the first uploader’s name for these bytes' }),
  })
  .meta({ id: 'DocumentMeta' });

/** A file's bytes, as documented: a body or an answer that is not JSON. */
export const binarySchema = z.string().meta({ format: 'binary' });

/** A multipart/form-data upload: one file part (any part name; `file` by convention). */
export const multipartUploadSchema = z.object({
  file: binarySchema.meta({ description: 'the document; its filename is its name unless `name` is given' }),
});
