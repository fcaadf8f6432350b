import { AsyncLocalStorage } from 'node:async_hooks';
import type { LedgerEntry } from './ledger.types.js';

// The entries one command appends, so that its answer can carry a receipt. Commands of a group-commit batch
// share a transaction, so the transaction cannot tell them apart: each command's execution has its own store.
const appendedByCommand = new AsyncLocalStorage<LedgerEntry[]>();

/** Runs one command's execution, collecting the entries it appends. */
export async function collectingAppends<T>(work: () => Promise<T>): Promise<{ value: T; appended: LedgerEntry[] }> {
  const appended: LedgerEntry[] = [];
  const value = await appendedByCommand.run(appended, work);
  return { value, appended };
}

/** Called by the ledger writer for each entry it appends. */
export function noteAppended(entry: LedgerEntry): void {
  appendedByCommand.getStore()?.push(entry);
}
