import { stream } from './api';
import type { LedgerEntry } from './types';

export interface LedgerFilters {
  type?: string;
  programId?: string;
  region?: string;
  from?: string;
  to?: string;
}

/** The export's filters (the server filters by program, region and date); the entry type is filtered here. */
export const exportQuery = (filters: LedgerFilters) => ({ programId: filters.programId, region: filters.region, from: filters.from, to: filters.to });

/**
 * One page of ledger entries matching the filters, read from the NDJSON export (byte for byte the entries of
 * GET /v1/ledger) starting at `fromSeq`, stopping as soon as `limit` entries match. `nextFromSeq` continues.
 */
export async function readLedgerPage(filters: LedgerFilters, fromSeq: number, limit: number): Promise<{ entries: LedgerEntry[]; nextFromSeq: number | null }> {
  const controller = new AbortController();
  const response = await stream('/v1/ledger/export', { format: 'ndjson', fromSeq, ...exportQuery(filters) }, controller.signal);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const entries: LedgerEntry[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buffer += value;
      const lines = buffer.split('\n');
      buffer = done ? '' : lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line) as LedgerEntry;
        if (filters.type && entry.type !== filters.type) continue;
        entries.push(entry);
        if (entries.length === limit) {
          controller.abort();
          return { entries, nextFromSeq: entry.seq + 1 };
        }
      }
      if (done) return { entries, nextFromSeq: null };
    }
  } catch (err) {
    if (controller.signal.aborted) return { entries, nextFromSeq: entries.at(-1) ? entries.at(-1)!.seq + 1 : null };
    throw err;
  }
}

/** Every entry matching the filters (a per-program summary reads a whole program). */
export async function readAllEntries(filters: LedgerFilters): Promise<LedgerEntry[]> {
  const all: LedgerEntry[] = [];
  let fromSeq: number | null = 1;
  while (fromSeq !== null) {
    const page: { entries: LedgerEntry[]; nextFromSeq: number | null } = await readLedgerPage(filters, fromSeq, 5000);
    all.push(...page.entries);
    fromSeq = page.nextFromSeq;
  }
  return all;
}

export const ENTRY_TYPES = [
  'program.funded',
  'program.budget_changed',
  'voucher.issued',
  'redemption.recorded',
  'redemption.reversed',
  'voucher.revoked',
  'voucher.expired',
  'payment.approved',
  'payment.disbursed',
  'payment.recovered',
];
