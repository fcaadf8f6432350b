import { type Kysely, sql } from 'kysely';

// One-time codes of the console's sign-in links (decision 0030): a code's SHA-256, the token sealed under a key
// derived from the code, and ISO instants (text, as every other timestamp of the schema, so that comparing two
// compares the instants on both engines). Not part of the ledger: rows are updated once and swept.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_sign_in_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey().check(sql`length(code_hash) = 64`))
    .addColumn('sealed_token', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('console_sign_in_codes_expires').on('console_sign_in_codes').column('expires_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
