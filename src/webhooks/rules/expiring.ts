// voucher.expiring (decision 0044): the sweep tells an enterprise, and its issuer, that a voucher's validity is
// ending, 30 and 7 days before. A voucher expiring on E (its last valid day) is due its 30-day notice from
// E − 30 calendar days (Asia/Shanghai) and its 7-day notice from E − 7: expiring 2027-01-31, on 2027-01-01 and
// 2027-01-24. A sweep that runs late sends only the smallest threshold due (a notice for 30 days when 5 remain
// would mislead); a voucher past E gets none (it expires instead). Each threshold is written once per voucher.
import { addDays } from '../../shared/dates.js';

export const EXPIRING_THRESHOLDS = [30, 7] as const;
export type ExpiringThreshold = (typeof EXPIRING_THRESHOLDS)[number];

/** The threshold whose notice is due for a voucher expiring on `expiresOn`, on `today`, or null. */
export function expiringThresholdDue(expiresOn: string, today: string): ExpiringThreshold | null {
  if (today > expiresOn) return null;
  let due: ExpiringThreshold | null = null;
  for (const days of EXPIRING_THRESHOLDS) if (today >= addDays(expiresOn, -days)) due = days;
  return due;
}

/** The first day any notice is due for a voucher expiring on `expiresOn` looked at `today`: vouchers expiring by this day. */
export const expiringHorizon = (today: string): string => addDays(today, Math.max(...EXPIRING_THRESHOLDS));

/** The key that makes a threshold's notice unique per voucher, so that a second sweep writes it no more. */
export const expiringKey = (voucherId: string, days: ExpiringThreshold) => `voucher.expiring:${voucherId}:${days}`;
