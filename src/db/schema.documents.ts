// Evidence documents (migration 0012, decision 0039): content-addressed by SHA-256. Read and written by
// src/documents/documents.repository.ts only.

/** One distinct content: its first uploader and first name are kept; the same bytes again are the same row. */
export interface DocumentTable {
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string;
  size: bigint;
  /** As detected from the bytes: application/pdf, application/ofd, application/xml, image/jpeg or image/png. */
  content_type: string;
  name: string;
  created_at: string;
  uploaded_by_role: string;
  /** The uploader's org (USCC) for an enterprise or provider, its region for an issuer. */
  uploaded_by_scope: string;
  uploaded_by_sub: string;
}

/** Each role and org or region that uploaded the bytes (the first uploader included), with its first subject. */
export interface DocumentUploadTable {
  sha256: string;
  role: string;
  scope: string;
  sub: string;
  uploaded_at: string;
}

/** A record citing a document: who may read the record may read the document. */
export interface DocumentCitationTable {
  sha256: string;
  citing_kind: 'application' | 'claim';
  citing_id: string;
  region: string;
  org: string;
}

/** The bytes, on PostgreSQL only (a SQLite database keeps them in files beside it). */
export interface DocumentContentTable {
  sha256: string;
  content: Buffer;
}

export interface DocumentTables {
  documents: DocumentTable;
  document_uploads: DocumentUploadTable;
  document_citations: DocumentCitationTable;
  document_contents: DocumentContentTable;
}
