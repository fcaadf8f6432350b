import { get } from './api';
import type { Translate } from './i18n';
import type { LedgerEntry } from './types';

/** What the auditor narrows the ledger by; GET /v1/ledger and the exports take the same filters. */
export interface LedgerFilters {
  type?: string;
  programId?: string;
  region?: string;
  from?: string;
  to?: string;
}

export const filterQuery = (filters: LedgerFilters) => ({
  type: filters.type,
  programId: filters.programId,
  region: filters.region,
  from: filters.from,
  to: filters.to,
});

export interface LedgerPage {
  entries: LedgerEntry[];
  /** The last seq of a full page, to read the next one after; null when this page was the last. */
  nextAfterSeq: number | null;
}

/** One page of the entries matching the filters after a seq, filtered by the server. */
export const readLedgerPage = (filters: LedgerFilters, afterSeq: number, limit: number, signal?: AbortSignal) =>
  get<LedgerPage>('/v1/ledger', { ...filterQuery(filters), afterSeq, limit }, signal);

/** Every entry type, in the order money moves through a program, with its name for people. */
export const ENTRY_TYPES: [type: string, zh: string, en: string][] = [
  ['program.funded', '项目拨款', 'Program funded'],
  ['program.budget_changed', '预算调整', 'Budget changed'],
  ['voucher.issued', '发放补贴券', 'Voucher issued'],
  ['redemption.recorded', '核销', 'Redemption recorded'],
  ['claim.submitted', '核销申请（预留补贴）', 'Claim submitted (subsidy reserved)'],
  ['claim.confirmed', '企业确认核销', 'Claim confirmed by the enterprise'],
  ['claim.disputed', '企业对核销有异议', 'Claim disputed by the enterprise'],
  ['claim.resubmitted', '核销重新提交', 'Claim resubmitted'],
  ['claim.returned', '核销退回补正', 'Claim returned'],
  ['claim.approved', '核销核准', 'Claim approved'],
  ['claim.rejected', '核销驳回', 'Claim rejected'],
  ['claim.withdrawn', '核销撤回', 'Claim withdrawn'],
  ['claim.lapsed', '核销逾期失效', 'Claim lapsed'],
  ['redemption.reversed', '核销冲回', 'Redemption reversed'],
  ['voucher.revoked', '补贴券撤销', 'Voucher revoked'],
  ['voucher.expired', '补贴券到期', 'Voucher expired'],
  ['payment.approved', '支付批次审批', 'Payment batch approved'],
  ['payment.disbursed', '向服务商支付', 'Paid to a provider'],
  ['payment.recovered', '服务商退回', 'Recovered from a provider'],
  ['program.closed', '项目年终关闭', 'Program closed'],
  ['watchlist.listed', '列入监管名单', 'Listed on the watchlist'],
  ['watchlist.delisted', '移出监管名单', 'Delisted from the watchlist'],
  ['related_parties.declared', '认定关联方', 'Related parties declared'],
  ['spot_check.drawn', '抽查抽样', 'Spot check drawn'],
  ['spot_check.result_recorded', '登记抽查结果', 'Spot check result recorded'],
];

export function entryTypeName(type: string, t: Translate): string {
  const known = ENTRY_TYPES.find(([name]) => name === type);
  return known ? t(known[1], known[2]) : type;
}
