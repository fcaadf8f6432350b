import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';
import { appendedNodes, appendPlan, leafHash } from '../../src/transparency/merkle.js';

// The transparency log (decisions 0025–0027): the RFC 9162 Merkle tree over the ledger, stored as its
// perfect subtrees; checkpoints gain the C2SP signed note of the same head; witnesses' cosignatures are kept.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('merkle_nodes')
    .addColumn('level', 'bigint', (c) => c.notNull().check(sql`level >= 0 and level < 64`))
    .addColumn('idx', 'bigint', (c) => c.notNull().check(sql`idx >= 0`))
    .addColumn('hash', 'text', (c) => c.notNull().check(sql`length(hash) = 64`))
    .addPrimaryKeyConstraint('merkle_nodes_pk', ['level', 'idx'])
    .execute();
  await engine.createAppendOnlyTriggers(db, 'merkle_nodes');

  await db.schema
    .createTable('cosignatures')
    .addColumn('tree_size', 'bigint', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('witness', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'bigint', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cosignatures_pk', ['tree_size', 'witness', 'signed_at'])
    .execute();
  await engine.createAppendOnlyTriggers(db, 'cosignatures');

  await db.schema.alterTable('checkpoints').addColumn('note', 'text').execute();
  await db.schema.alterTable('checkpoints').addColumn('root_hash', 'text').execute();

  await backfillTree(db as Kysely<BackfillTables>);
}

interface BackfillTables {
  ledger_entries: { seq: bigint; hash: string };
  merkle_nodes: { level: bigint; idx: bigint; hash: string };
}

const PAGE = 5_000;
const ROWS_PER_INSERT = 500;

/** Builds the tree of an existing ledger in one pass, holding only the newest node of each level in memory. */
async function backfillTree(db: Kysely<BackfillTables>): Promise<void> {
  const newestAtLevel: Buffer[] = [];
  let after = 0n;
  for (;;) {
    const page = await db.selectFrom('ledger_entries').select(['seq', 'hash']).where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
    if (page.length === 0) return;
    const rows: BackfillTables['merkle_nodes'][] = [];
    for (const entry of page) {
      const index = Number(entry.seq) - 1;
      const { lefts } = appendPlan(index);
      for (const node of appendedNodes(
        index,
        leafHash(entry.hash),
        lefts.map((ref) => newestAtLevel[ref.level]!),
      )) {
        newestAtLevel[node.level] = node.hash;
        rows.push({ level: BigInt(node.level), idx: BigInt(node.index), hash: node.hash.toString('hex') });
      }
    }
    for (let at = 0; at < rows.length; at += ROWS_PER_INSERT)
      await db
        .insertInto('merkle_nodes')
        .values(rows.slice(at, at + ROWS_PER_INSERT))
        .execute();
    after = page.at(-1)!.seq;
  }
}

export async function down(): Promise<void> {
  throw new Error('the Merkle tree is append-only like the ledger: this migration is not reversible');
}
