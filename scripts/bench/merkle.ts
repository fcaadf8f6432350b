// What the Merkle tree adds to each append (decision 0025): appendLeaf timed on a tree already holding `leaves`
// leaves (grown with raw SQL beforehand), 50 appends per transaction as a group commit would run them.
import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createDatabase, migrateToLatest } from '../../src/db/database.js';
import { appendedNodes, appendPlan, leafHash } from '../../src/transparency/merkle.js';
import { appendLeaf } from '../../src/transparency/merkle.repository.js';

const entryHash = (seq: number) => createHash('sha256').update(`entry ${seq}`).digest('hex');

/** Microseconds the tree adds to one append at a tree of `leaves` leaves, over `appends` appends. */
export async function treeAppendMicros(path: string, leaves: number, appends: number): Promise<number> {
  const db = createDatabase(path);
  await migrateToLatest(db);
  await db.destroy();
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  const insert = sqlite.prepare('insert into merkle_nodes (level, idx, hash) values (?, ?, ?)');
  const newestAtLevel: Buffer[] = [];
  sqlite.transaction(() => {
    for (let index = 0; index < leaves; index++) {
      const lefts = appendPlan(index).lefts.map((ref) => newestAtLevel[ref.level]!);
      for (const node of appendedNodes(index, leafHash(entryHash(index + 1)), lefts)) {
        newestAtLevel[node.level] = node.hash;
        insert.run(node.level, node.index, node.hash.toString('hex'));
      }
    }
  })();
  sqlite.close();

  const timed = createDatabase(path);
  const started = performance.now();
  for (let done = 0; done < appends; done += 50)
    await timed.transaction().execute(async (trx) => {
      for (let seq = leaves + done + 1; seq <= leaves + Math.min(done + 50, appends); seq++) await appendLeaf(trx, seq, entryHash(seq));
    });
  const micros = ((performance.now() - started) * 1000) / appends;
  await timed.destroy();
  return micros;
}
