// The only module that reads or writes documents, document_uploads, document_citations and document_contents.
// Other features call findDocuments and citeDocuments inside their own transactions.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DocumentTable, DocumentUploadTable } from '../db/schema.documents.js';
import type { Database } from '../db/schema.js';
import type { Citation, DocumentMeta, DocumentType, Readers, StoredDocument, Uploader } from './documents.model.js';

type Queryable = Kysely<Database>;

const toDomain = (row: Selectable<DocumentTable>): StoredDocument => ({
  sha256: row.sha256,
  size: Number(row.size),
  contentType: row.content_type as DocumentType,
  name: row.name,
  createdAt: row.created_at,
  uploadedBy: { role: row.uploaded_by_role as Uploader['role'], scope: row.uploaded_by_scope, sub: row.uploaded_by_sub },
});

const toRow = (document: StoredDocument): Insertable<DocumentTable> => ({
  sha256: document.sha256,
  size: BigInt(document.size),
  content_type: document.contentType,
  name: document.name,
  created_at: document.createdAt,
  uploaded_by_role: document.uploadedBy.role,
  uploaded_by_scope: document.uploadedBy.scope,
  uploaded_by_sub: document.uploadedBy.sub,
});

const uploadRow = (sha256: string, uploader: Uploader, at: string): Insertable<DocumentUploadTable> => ({
  sha256,
  role: uploader.role,
  scope: uploader.scope,
  sub: uploader.sub,
  uploaded_at: at,
});

/**
 * The stored documents among `sha256s`, in the order first listed, each once; a hash with no document is left
 * out (compare the lengths to find it).
 */
export async function findDocuments(trx: Queryable, sha256s: readonly string[]): Promise<DocumentMeta[]> {
  const wanted = [...new Set(sha256s)];
  if (wanted.length === 0) return [];
  const rows = await trx.selectFrom('documents').select(['sha256', 'size', 'content_type', 'name']).where('sha256', 'in', wanted).execute();
  const byHash = new Map(
    rows.map((row) => [row.sha256, { sha256: row.sha256, size: Number(row.size), contentType: row.content_type as DocumentType, name: row.name }]),
  );
  return wanted.flatMap((sha256) => byHash.get(sha256) ?? []);
}

/**
 * Records that `citation` cites each of `sha256s` (again is nothing new): who may read the record may then read
 * them. Every hash must be a stored document (findDocuments first): an unknown one fails the statement.
 */
export async function citeDocuments(trx: Queryable, sha256s: readonly string[], citation: Citation): Promise<void> {
  const wanted = [...new Set(sha256s)];
  if (wanted.length === 0) return;
  await trx
    .insertInto('document_citations')
    .values(wanted.map((sha256) => ({ sha256, citing_kind: citation.kind, citing_id: citation.id, region: citation.region, org: citation.org })))
    .onConflict((conflict) => conflict.columns(['sha256', 'citing_kind', 'citing_id']).doNothing())
    .execute();
}

export async function findDocument(db: Queryable, sha256: string): Promise<StoredDocument | undefined> {
  const row = await db.selectFrom('documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  return row && toDomain(row);
}

/** Which of `sha256s` this uploader (its role and org or region) uploaded: one query for a list. */
export async function uploadedBy(db: Queryable, sha256s: readonly string[], uploader: Omit<Uploader, 'sub'>): Promise<Set<string>> {
  const wanted = [...new Set(sha256s)];
  if (wanted.length === 0) return new Set();
  const rows = await db
    .selectFrom('document_uploads')
    .select('sha256')
    .where('sha256', 'in', wanted)
    .where('role', '=', uploader.role)
    .where('scope', '=', uploader.scope)
    .execute();
  return new Set(rows.map((row) => row.sha256));
}

/** Everyone who uploaded the bytes, and every record citing them. */
export async function readersOf(db: Queryable, sha256: string): Promise<Readers> {
  const uploaders = await db.selectFrom('document_uploads').select(['role', 'scope']).where('sha256', '=', sha256).execute();
  const citations = await db.selectFrom('document_citations').select(['citing_kind', 'citing_id', 'region', 'org']).where('sha256', '=', sha256).execute();
  return {
    uploaders: uploaders.map((row) => ({ role: row.role as Uploader['role'], scope: row.scope })),
    citations: citations.map((row) => ({ kind: row.citing_kind, id: row.citing_id, region: row.region, org: row.org })),
  };
}

/** Inserts the document unless its bytes are stored already (a concurrent upload of them won): whether it did. */
export async function insertDocument(trx: Queryable, document: StoredDocument): Promise<boolean> {
  const result = await trx
    .insertInto('documents')
    .values(toRow(document))
    .onConflict((conflict) => conflict.column('sha256').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Notes that `uploader` (its role and org or region) uploaded the bytes; its first subject and time are kept. */
export async function recordUpload(trx: Queryable, sha256: string, uploader: Uploader, at: string): Promise<void> {
  await trx
    .insertInto('document_uploads')
    .values(uploadRow(sha256, uploader, at))
    .onConflict((conflict) => conflict.columns(['sha256', 'role', 'scope']).doNothing())
    .execute();
}

/** PostgreSQL only: the bytes, in the document's transaction. */
export async function insertContent(trx: Queryable, sha256: string, content: Buffer): Promise<void> {
  await trx
    .insertInto('document_contents')
    .values({ sha256, content })
    .onConflict((conflict) => conflict.column('sha256').doNothing())
    .execute();
}

/** PostgreSQL only: the bytes, or undefined when there are none. */
export async function readContent(db: Queryable, sha256: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('document_contents').select('content').where('sha256', '=', sha256).executeTakeFirst();
  return row?.content;
}
