// Evidence documents (decision 0039): files enterprises, providers and issuers upload, kept once per content
// under the SHA-256 of their bytes, and read by whoever may read a record that cites them.

/** The types accepted, as detected from the bytes, with the extension of a default name. */
export const DOCUMENT_TYPES = {
  'application/pdf': 'pdf',
  'application/ofd': 'ofd',
  'application/xml': 'xml',
  'image/jpeg': 'jpg',
  'image/png': 'png',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;

/** What other features see of a document (an application's or a claim's evidence). */
export interface DocumentMeta {
  sha256: string;
  size: number;
  contentType: DocumentType;
  name: string;
}

/** Who uploaded: an enterprise or a provider by its org (USCC), an issuer by its region. */
export interface Uploader {
  role: 'enterprise' | 'provider' | 'issuer';
  scope: string;
  sub: string;
}

export interface StoredDocument extends DocumentMeta {
  createdAt: string;
  /** The first uploader (its name for the bytes is the one kept). */
  uploadedBy: Uploader;
}

/** A record citing documents: whoever may read the record may read them. */
export interface Citation {
  kind: 'application' | 'claim';
  id: string;
  region: string;
  org: string;
}

/** Everyone a document is readable by, besides its content: each uploader and each citing record. */
export interface Readers {
  uploaders: Omit<Uploader, 'sub'>[];
  citations: Citation[];
}

/**
 * The bytes of an upload as received, in a temporary file: their hash and size, their first bytes, and whether
 * all of them are text an XML document may hold (valid UTF-8 without control characters); `filename` is a
 * multipart part's.
 */
export interface ReceivedFile {
  path: string;
  sha256: string;
  size: number;
  head: Buffer;
  xmlText: boolean;
  filename?: string | undefined;
}

export const metaOf = (document: DocumentMeta): DocumentMeta => ({
  sha256: document.sha256,
  size: document.size,
  contentType: document.contentType,
  name: document.name,
});

/** `<first 12 hex digits of the hash>.<extension of the type>`, for an upload that names nothing. */
export const defaultName = (sha256: string, type: DocumentType): string => `${sha256.slice(0, 12)}.${DOCUMENT_TYPES[type]}`;
