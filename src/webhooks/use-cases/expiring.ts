// voucher.expiring (decision 0044): written by the daily sweep, not by the ledger: the calendar, not an entry,
// makes it. Once per voucher and threshold (a unique key), under the ledger lock so that its deliveries queue in
// commit order with the entries' events.
import { todayIn } from '../../shared/clock.js';
import { formatFen } from '../../shared/money.js';
import type { EventDraft } from '../rules/events.js';
import { expiringHorizon, expiringKey, expiringThresholdDue } from '../rules/expiring.js';
import { enqueue } from '../webhooks.outbox.js';
import { usedDedupeKeys, vouchersExpiringBetween } from '../webhooks.repository.js';
import type { WebhookDeps } from './dependencies.js';

/** Writes the expiring notices due today; returns how many events were written. */
export async function notifyExpiring(deps: Pick<WebhookDeps, 'db' | 'clock' | 'unitOfWork'>): Promise<number> {
  const today = todayIn(deps.clock);
  const vouchers = await vouchersExpiringBetween(deps.db, today, expiringHorizon(today));
  const due = vouchers.flatMap((voucher) => {
    const days = expiringThresholdDue(voucher.expiresOn, today);
    return days === null ? [] : [{ voucher, days, key: expiringKey(voucher.id, days) }];
  });
  if (due.length === 0) return 0;
  const at = deps.clock.now().toISOString();
  return deps.unitOfWork.transact(async (trx) => {
    let written = 0;
    for (let from = 0; from < due.length; from += 500) {
      const slice = due.slice(from, from + 500);
      const used = await usedDedupeKeys(
        trx,
        slice.map((item) => item.key),
      );
      const drafts = slice
        .filter((item) => !used.has(item.key))
        .map(({ voucher, days, key }): EventDraft & { dedupeKey: string } => ({
          type: 'voucher.expiring',
          audience: { region: voucher.region, providerUscc: null, enterpriseUscc: voucher.enterpriseUscc },
          data: {
            seq: null,
            entryHash: null,
            entryType: null,
            region: voucher.region,
            programId: voucher.programId,
            voucherId: voucher.id,
            kind: voucher.kind,
            beneficiaryUscc: voucher.enterpriseUscc,
            expiresOn: voucher.expiresOn,
            daysBefore: days,
            balance: formatFen(voucher.balance),
          },
          dedupeKey: key,
        }));
      if (drafts.length > 0) written += await enqueue(trx, drafts, { seq: null, entryHash: null, at });
    }
    return written;
  });
}
