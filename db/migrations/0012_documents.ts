import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

// Evidence files (decision 0039): one row per distinct content, keyed by its SHA-256 (lowercase hex), with who
// uploaded it first; every role and org or region that uploaded the same bytes; and the records citing it
// (applications, claims), with the region and org that may read it through them. The bytes themselves live in
// files beside a SQLite database and in document_contents on PostgreSQL, which only that engine has.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('documents')
    .addColumn('sha256', 'text', (c) => c.primaryKey().check(sql`length(sha256) = 64`))
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size > 0`))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_role', 'text', (c) => c.notNull().check(sql`uploaded_by_role in ('enterprise', 'provider', 'issuer')`))
    .addColumn('uploaded_by_scope', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_sub', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('document_uploads')
    .addColumn('sha256', 'text', (c) => c.notNull().references('documents.sha256'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_uploads_pk', ['sha256', 'role', 'scope'])
    .execute();
  await db.schema
    .createTable('document_citations')
    .addColumn('sha256', 'text', (c) => c.notNull().references('documents.sha256'))
    .addColumn('citing_kind', 'text', (c) => c.notNull().check(sql`citing_kind in ('application', 'claim')`))
    .addColumn('citing_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('org', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_citations_pk', ['sha256', 'citing_kind', 'citing_id'])
    .execute();
  if (engine.name === 'postgres')
    await db.schema
      .createTable('document_contents')
      .addColumn('sha256', 'text', (c) => c.primaryKey().references('documents.sha256'))
      .addColumn('content', 'bytea', (c) => c.notNull())
      .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
