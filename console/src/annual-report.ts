// The annual report (decision 0043): GET /v1/reports/annual, a fold of the ledger's entries through a stated seq.
// Money arrives as decimal strings with two decimals, counts as integers, ratios as strings with four decimals
// (rounded down) or null when the divisor is zero. Its shapes are the API's (types.ts); here, its figures in words.
import type { Translate } from './i18n';
import type { BucketRow, FunderRow, MonthRow, ReportFigures, ReportPosition, ReportTable } from './types';

export const FIRST_REPORT_YEAR = 2020;

/** The file names the API gives its downloads: annual-report-R-Y.xlsx, annual-report-R-Y-TABLE.csv. */
export const reportFileName = (region: string, year: number, table?: ReportTable) =>
  table ? `annual-report-${region}-${year}-${table}.csv` : `annual-report-${region}-${year}.xlsx`;

/** A row's figure in words, the order of the API's rows. */
export interface FigureLabel<K extends string> {
  key: K;
  zh: string;
  en: string;
  type: 'money' | 'count' | 'percent' | 'times';
}

export const FIGURES: FigureLabel<keyof ReportFigures>[] = [
  { key: 'programs', zh: '项目数', en: 'Programs', type: 'count' },
  { key: 'appropriated', zh: '拨入资金', en: 'Appropriated', type: 'money' },
  { key: 'returned', zh: '退回资金', en: 'Returned', type: 'money' },
  { key: 'funded', zh: '净到位资金', en: 'Funded (net)', type: 'money' },
  { key: 'vouchersIssued', zh: '发放券数', en: 'Vouchers issued', type: 'count' },
  { key: 'vouchersIssuedAmount', zh: '发放金额', en: 'Issued amount', type: 'money' },
  { key: 'vouchersExpired', zh: '失效券数', en: 'Vouchers expired', type: 'count' },
  { key: 'vouchersExpiredAmount', zh: '失效退回金额', en: 'Expired amount', type: 'money' },
  { key: 'vouchersRevoked', zh: '撤销券数', en: 'Vouchers revoked', type: 'count' },
  { key: 'vouchersRevokedAmount', zh: '撤销退回金额', en: 'Revoked amount', type: 'money' },
  { key: 'subsidyGranted', zh: '核定补贴', en: 'Subsidy granted', type: 'money' },
  { key: 'clawedBack', zh: '追回补贴', en: 'Clawed back', type: 'money' },
  { key: 'subsidyNet', zh: '净补贴', en: 'Net subsidy', type: 'money' },
  { key: 'paid', zh: '拨付', en: 'Paid', type: 'money' },
  { key: 'recovered', zh: '拨付收回', en: 'Recovered', type: 'money' },
  { key: 'paidNet', zh: '净拨付', en: 'Paid (net)', type: 'money' },
  { key: 'executed', zh: '执行金额', en: 'Executed', type: 'money' },
  { key: 'enterprises', zh: '企业数', en: 'Enterprises', type: 'count' },
  { key: 'providers', zh: '服务商数', en: 'Providers', type: 'count' },
  { key: 'autonomousShare', zh: '自主可控算力补贴占比', en: 'Autonomous compute share', type: 'percent' },
  { key: 'leverage', zh: '撬动倍数', en: 'Leverage', type: 'times' },
];

export const BUCKET_FIGURES: FigureLabel<Exclude<keyof BucketRow, 'bucket' | 'kind'>>[] = [
  { key: 'redemptions', zh: '核销笔数', en: 'Redemptions', type: 'count' },
  { key: 'subsidyGranted', zh: '核定补贴', en: 'Subsidy granted', type: 'money' },
  { key: 'clawedBack', zh: '追回补贴', en: 'Clawed back', type: 'money' },
  { key: 'subsidyNet', zh: '净补贴', en: 'Net subsidy', type: 'money' },
  { key: 'executed', zh: '执行金额', en: 'Executed', type: 'money' },
  { key: 'enterprises', zh: '企业数', en: 'Enterprises', type: 'count' },
  { key: 'providers', zh: '服务商数', en: 'Providers', type: 'count' },
  { key: 'leverage', zh: '撬动倍数', en: 'Leverage', type: 'times' },
];

export const FUNDER_FIGURES: FigureLabel<Exclude<keyof FunderRow, 'region' | 'funder'>>[] = [
  { key: 'appropriated', zh: '拨入资金', en: 'Appropriated', type: 'money' },
  { key: 'returned', zh: '退回资金', en: 'Returned', type: 'money' },
  { key: 'funded', zh: '净到位资金', en: 'Funded (net)', type: 'money' },
  { key: 'paid', zh: '拨付', en: 'Paid', type: 'money' },
  { key: 'recovered', zh: '拨付收回', en: 'Recovered', type: 'money' },
  { key: 'paidNet', zh: '净拨付', en: 'Paid (net)', type: 'money' },
];

export const MONTH_FIGURES: FigureLabel<Exclude<keyof MonthRow, 'month'>>[] = [
  { key: 'vouchersIssuedAmount', zh: '发放金额', en: 'Issued amount', type: 'money' },
  { key: 'subsidyGranted', zh: '核定补贴', en: 'Subsidy granted', type: 'money' },
  { key: 'clawedBack', zh: '追回补贴', en: 'Clawed back', type: 'money' },
  { key: 'paid', zh: '拨付', en: 'Paid', type: 'money' },
  { key: 'recovered', zh: '拨付收回', en: 'Recovered', type: 'money' },
];

export const POSITION_ITEMS: FigureLabel<keyof ReportPosition>[] = [
  { key: 'funded', zh: '累计净到位资金', en: 'Funded (to date)', type: 'money' },
  { key: 'available', zh: '可用（未发券）', en: 'Available (not on vouchers)', type: 'money' },
  { key: 'onVouchers', zh: '券内余额', en: 'On vouchers', type: 'money' },
  { key: 'reserved', zh: '核销审核中预留', en: 'Reserved for claims', type: 'money' },
  { key: 'owedToProviders', zh: '应付服务商（未支付）', en: 'Owed to providers (unpaid)', type: 'money' },
  { key: 'paid', zh: '累计净拨付', en: 'Paid to providers', type: 'money' },
];

/** A ratio of the report ("0.7500", "-0.1250") as a percentage ("75%", "-12.5%"), by moving the decimal point. */
export function formatShare(ratio: string | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(ratio.trim());
  if (!match) return ratio;
  const fraction = (match[3] ?? '').padEnd(2, '0');
  const whole = `${match[2]}${fraction.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(2).replace(/0+$/, '');
  const negative = match[1] && /[1-9]/.test(whole + rest);
  return `${negative ? '-' : ''}${whole}${rest ? `.${rest}` : ''}%`;
}

/** A multiple of the report ("3.3333") as it came, with its unit: "3.3333 倍"; null is "—". */
export const formatTimes = (ratio: string | null | undefined, t: Translate): string =>
  ratio === null || ratio === undefined ? '—' : t(`${ratio} 倍`, `${ratio}×`);

/** The years a report may be asked for: 2020 to the current Asia/Shanghai year, the latest first. */
export function reportYears(currentYear: number): number[] {
  const years: number[] = [];
  for (let year = currentYear; year >= FIRST_REPORT_YEAR; year--) years.push(year);
  return years;
}
