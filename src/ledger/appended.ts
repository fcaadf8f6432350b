import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { LedgerEntry } from './ledger.types.js';
import type { AppendObserver } from './ledger.writer.js';

/**
 * The entries one command appends, so that its answer can carry a receipt (decision 0026). Commands of a
 * group-commit batch share a transaction but run one after another, so the command running is the one
 * appending; the transaction handle it was given is checked too, so that an append through any other
 * transaction is never counted as its own. Wired in the composition root: `observe` watches the ledger
 * writer, `collect` wraps each command in the unit of work.
 */
export interface AppendCollector {
  observe: AppendObserver;
  collect<T>(trx: Kysely<Database>, work: () => Promise<T>): Promise<{ value: T; appended: LedgerEntry[] }>;
}

export function createAppendCollector(): AppendCollector {
  let running: { trx: Kysely<Database>; appended: LedgerEntry[] } | undefined;
  return {
    observe: async (trx, entry) => {
      if (running?.trx === trx) running.appended.push(entry);
    },
    async collect(trx, work) {
      if (running) throw new Error('a unit of work runs one command at a time');
      const appended: LedgerEntry[] = [];
      running = { trx, appended };
      try {
        return { value: await work(), appended };
      } finally {
        running = undefined;
      }
    },
  };
}
