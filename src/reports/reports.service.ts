// The annual report (decision 0043): the bound of the year's entries, then one fold over the scope's entries
// through it. Entries through a seq never change, so pages read one after another are one snapshot.
import type { Actor } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import { readEntries } from '../ledger/ledger.reader.js';
import { ledgerHead, seqBeforeFirstRecordedFrom } from '../ledger/ledger.repository.js';
import { shanghaiDayStart, shanghaiDate } from '../shared/dates.js';
import { DomainError } from '../shared/errors.js';
import { coveredRange, covers } from '../shared/region.js';
import { annualFold, type AnnualReport } from './rules/annual.js';
import type { AnnualReportQuery } from './reports.schemas.js';

const PAGE = 2_000;

export interface ReportsService {
  annual(query: AnnualReportQuery, actor: Actor & { region: string }): Promise<AnnualReport>;
}

export function createReportsService(deps: Pick<Deps, 'db' | 'clock'>): ReportsService {
  return {
    async annual(query, actor) {
      const region = query.region ?? actor.region;
      if (!covers(actor.region, region))
        throw new DomainError('forbidden', `region ${region} is outside the caller's region ${actor.region}`, { field: 'region' });
      const now = deps.clock.now();
      const currentYear = Number(shanghaiDate(now).slice(0, 4));
      if (query.year > currentYear)
        throw DomainError.validation([{ field: 'year', message: `must not be after the current year ${currentYear} (Asia/Shanghai)` }]);
      const yearEnd = shanghaiDayStart(`${query.year + 1}-01-01`);
      const complete = now.toISOString() >= yearEnd;
      const bound = (complete ? await seqBeforeFirstRecordedFrom(deps.db, yearEnd) : undefined) ?? (await ledgerHead(deps.db)).seq;
      if (query.throughSeq !== undefined && query.throughSeq > bound)
        throw DomainError.validation([{ field: 'throughSeq', message: `must not be after seq ${bound}, the year's last entry so far` }]);
      const throughSeq = query.throughSeq ?? bound;
      // Complete only through the year's last entry: an earlier cut is not the year's report (decision 0043).
      const fold = annualFold({ year: query.year, region, throughSeq: Number(throughSeq) }, complete && throughSeq === bound);
      const range = coveredRange(region);
      let afterSeq = 0n;
      for (;;) {
        const page = await readEntries(deps.db, { afterSeq, toSeq: throughSeq, regionFrom: range.from, regionTo: range.to }, PAGE);
        for (const entry of page) fold.add(entry);
        if (page.length < PAGE) break;
        afterSeq = BigInt(page.at(-1)!.seq);
      }
      return fold.result(now);
    },
  };
}
