import type { SourceBatch } from './sources.js';
import { valueOf } from './sources.js';
import { leafOfEntryHash, StreamingRoot } from './merkle.js';
import { checkNote, type TransparencyOptions } from './transparency.js';
import type { CheckResult } from './verify.js';

/**
 * The note half of the `checkpoint` check of `npm run verify --checkpoint` when the checkpoint carries its C2SP note: the log
 * signed it (and, with --require-witnesses, enough witnesses cosigned it), and the Merkle root of the ledger's
 * first treeSize entries, computed here from their hashes, is the note's root. A second pass over the source
 * reads only `seq` and `hash`.
 */
export async function noteCheckpointCheck(
  note: string,
  options: TransparencyOptions,
  batches: AsyncIterable<SourceBatch> | Iterable<SourceBatch>,
): Promise<CheckResult> {
  const detail = 'its C2SP note is signed by the log (and cosigned as required) and its root is the Merkle root of the entries it covers';
  const fail = (seq: number, reason: string): CheckResult => ({ name: 'checkpoint', status: 'fail', detail, failures: 1, first: { seq, reason } });
  const lines: string[] = [];
  const body = checkNote('checkpoint note', note, options, lines);
  if (!body) return fail(0, lines.at(-1)!.replace(/^FAIL /, ''));
  const tree = new StreamingRoot();
  for await (const batch of batches) {
    for (const line of batch.lines) {
      if (tree.size === body.size) break;
      const entry = valueOf(line) as { seq?: unknown; hash?: unknown } | null;
      if (typeof entry !== 'object' || entry === null || entry.seq !== Number(tree.size) + 1 || typeof entry.hash !== 'string')
        return fail(Number(tree.size) + 1, `entry ${tree.size + 1n} is missing or malformed, so the tree of ${body.size} cannot be rebuilt`);
      try {
        tree.add(leafOfEntryHash(entry.hash));
      } catch (err) {
        return fail(Number(tree.size) + 1, (err as Error).message);
      }
    }
    if (tree.size === body.size) break;
  }
  if (tree.size < body.size) return fail(Number(tree.size), `the note covers ${body.size} entries but the ledger holds ${tree.size}: entries were removed`);
  const root = tree.root();
  if (!root.equals(body.root))
    return fail(
      Number(body.size),
      `the Merkle root of entries 1…${body.size} is ${root.toString('hex')}, the note signed ${body.root.toString('hex')}: history up to it was rewritten`,
    );
  return {
    name: 'checkpoint',
    status: 'pass',
    detail: `${detail} (tree size ${body.size}${options.requireWitnesses ? `, ${options.requireWitnesses} witnesses required` : ''})`,
    failures: 0,
  };
}
