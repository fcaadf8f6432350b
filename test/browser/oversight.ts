// What the oversight journeys share (decision 0042): the actors, a program with approved redemptions to sample,
// the sample as anyone re-draws it from the seed, and dates counted from the server's real "today".
import { createHash } from 'node:crypto';
import { ZHEJIANG } from '../helpers/fixtures.js';
import type { Claims } from '../helpers/test-app.js';
import { type Journey, todayInShanghai } from './browser.js';
import { createContract, issueVoucher } from './claims.js';

export const PROVINCE: Claims = { sub: 'zj-finance', role: 'issuer', region: ZHEJIANG };
export const AUDITOR: Claims = { sub: 'audit-zj', role: 'auditor', region: ZHEJIANG };

/** The day after today in Asia/Shanghai (a closing day not reached yet). */
export const tomorrowInShanghai = () => todayInShanghai({ now: () => new Date(Date.now() + 86_400_000) });

/**
 * A direct program of the issuer's region (redemptions owed at once: each is approved as it is recorded), a voucher,
 * a contract and `count` redemptions of 10,000.00 each; the redemptions' ids and invoice numbers.
 */
export async function programWithApprovedRedemptions(journey: Journey, issuer: string, provider: string, name: string, count: number) {
  const program = await journey.post<{ id: string }>(issuer, '/v1/programs', { name, kind: 'compute', budget: '10000000.00' });
  const voucher = await issueVoucher(journey, issuer, program.id);
  const contract = await createContract(journey, provider, 'HT-SPOT-001');
  const redemptions: { id: string; invoiceNumber: string }[] = [];
  for (let n = 1; n <= count; n++) {
    const invoiceNumber = `INV-SPOT-00${n}`;
    const redemption = await journey.post<{ id: string; status: string }>(provider, '/v1/redemptions', {
      voucherId: voucher.id,
      contractId: contract.id,
      executedAmount: '10000.00',
      executedOn: todayInShanghai(),
      invoiceNumber,
    });
    if (redemption.status !== 'approved') throw new Error(`redemption ${invoiceNumber} is ${redemption.status}, not approved`);
    redemptions.push({ id: redemption.id, invoiceNumber });
  }
  return { programId: program.id, voucherId: voucher.id, redemptions };
}

/** The sample as decision 0042 draws it: by the hex SHA-256 of seed + id, ascending, the first round_half_up(rate × n). */
export function redraw<T extends { id: string }>(seed: string, rateHundredths: number, population: T[]): T[] {
  const size = Math.floor((rateHundredths * population.length + 50) / 100);
  const key = (item: T) => createHash('sha256').update(`${seed}${item.id}`, 'utf8').digest('hex');
  return [...population].sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, size);
}
