// The annual report as files for people and for programs (decision 0043): an XLSX with one sheet per table, money
// as numbers formatted to the cent, and a CSV of one table with Chinese headers.
import { stringify } from 'csv-stringify/sync';
import { POLICY_TIME_ZONE } from '../shared/dates.js';
import type { AnnualReport } from './rules/annual.js';
import type { ReportTable } from './reports.schemas.js';

type Cell = 'text' | 'money' | 'count' | 'ratio';

/** When the report was made, as the people reading it count time: Asia/Shanghai, "2026-12-07 00:45:57". */
const BEIJING_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: POLICY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
interface Column {
  key: string;
  header: string;
  cell: Cell;
}

const KIND_NAMES: Record<string, string> = { compute: '算力券', corpus: '语料券', model: '模型券' };

const FIGURE_COLUMNS: Column[] = [
  { key: 'programs', header: '项目数', cell: 'count' },
  { key: 'appropriated', header: '拨入资金', cell: 'money' },
  { key: 'returned', header: '退回资金', cell: 'money' },
  { key: 'funded', header: '净到位资金', cell: 'money' },
  { key: 'vouchersIssued', header: '发放券数', cell: 'count' },
  { key: 'vouchersIssuedAmount', header: '发放金额', cell: 'money' },
  { key: 'vouchersExpired', header: '失效券数', cell: 'count' },
  { key: 'vouchersExpiredAmount', header: '失效退回金额', cell: 'money' },
  { key: 'vouchersRevoked', header: '撤销券数', cell: 'count' },
  { key: 'vouchersRevokedAmount', header: '撤销退回金额', cell: 'money' },
  { key: 'subsidyGranted', header: '核定补贴', cell: 'money' },
  { key: 'clawedBack', header: '追回补贴', cell: 'money' },
  { key: 'subsidyNet', header: '净补贴', cell: 'money' },
  { key: 'paid', header: '拨付', cell: 'money' },
  { key: 'recovered', header: '拨付收回', cell: 'money' },
  { key: 'paidNet', header: '净拨付', cell: 'money' },
  { key: 'executed', header: '执行金额', cell: 'money' },
  { key: 'enterprises', header: '企业数', cell: 'count' },
  { key: 'providers', header: '服务商数', cell: 'count' },
  { key: 'autonomousShare', header: '自主可控算力补贴占比', cell: 'ratio' },
  { key: 'leverage', header: '撬动倍数', cell: 'ratio' },
];

const POSITION_LABELS: [keyof AnnualReport['position'], string][] = [
  ['funded', '累计净到位资金'],
  ['available', '可用（未发券）'],
  ['onVouchers', '券内余额'],
  ['reserved', '核销审核中预留'],
  ['owedToProviders', '应付服务商（未支付）'],
  ['paid', '累计净拨付'],
];

const TABLES: Record<ReportTable, { sheet: string; columns: Column[]; rows: (report: AnnualReport) => object[] }> = {
  regions: { sheet: '按地区', columns: [{ key: 'region', header: '地区代码', cell: 'text' }, ...FIGURE_COLUMNS], rows: (r) => r.regions },
  kinds: {
    sheet: '按券种',
    columns: [{ key: 'kindName', header: '券种', cell: 'text' }, ...FIGURE_COLUMNS],
    rows: (r) => r.kinds.map((row) => ({ ...row, kindName: KIND_NAMES[row.kind] ?? row.kind })),
  },
  buckets: {
    sheet: '按补贴档',
    columns: [
      { key: 'bucket', header: '补贴档', cell: 'text' },
      { key: 'kindName', header: '券种', cell: 'text' },
      { key: 'redemptions', header: '核销笔数', cell: 'count' },
      { key: 'subsidyGranted', header: '核定补贴', cell: 'money' },
      { key: 'clawedBack', header: '追回补贴', cell: 'money' },
      { key: 'subsidyNet', header: '净补贴', cell: 'money' },
      { key: 'executed', header: '执行金额', cell: 'money' },
      { key: 'enterprises', header: '企业数', cell: 'count' },
      { key: 'providers', header: '服务商数', cell: 'count' },
      { key: 'leverage', header: '撬动倍数', cell: 'ratio' },
    ],
    rows: (r) => r.buckets.map((row) => ({ ...row, kindName: KIND_NAMES[row.kind] ?? row.kind })),
  },
  funders: {
    sheet: '资金方',
    columns: [
      { key: 'region', header: '项目地区', cell: 'text' },
      { key: 'funder', header: '出资地区', cell: 'text' },
      { key: 'appropriated', header: '拨入资金', cell: 'money' },
      { key: 'returned', header: '退回资金', cell: 'money' },
      { key: 'funded', header: '净到位资金', cell: 'money' },
      { key: 'paid', header: '拨付', cell: 'money' },
      { key: 'recovered', header: '拨付收回', cell: 'money' },
      { key: 'paidNet', header: '净拨付', cell: 'money' },
    ],
    rows: (r) => r.funders,
  },
  months: {
    sheet: '按月',
    columns: [
      { key: 'month', header: '月份', cell: 'text' },
      { key: 'vouchersIssuedAmount', header: '发放金额', cell: 'money' },
      { key: 'subsidyGranted', header: '核定补贴', cell: 'money' },
      { key: 'clawedBack', header: '追回补贴', cell: 'money' },
      { key: 'paid', header: '拨付', cell: 'money' },
      { key: 'recovered', header: '拨付收回', cell: 'money' },
    ],
    rows: (r) => r.months,
  },
};

const NUMBER_FORMATS: Record<Cell, string | undefined> = { text: '@', money: '#,##0.00', count: '0', ratio: '0.0000' };

/**
 * A cell's value: decimal strings become numbers only here, for the spreadsheet's own arithmetic; a double holds
 * every amount below 2⁵³ fen to the cent, and the ledger's strings stay the record.
 */
function cellValue(cell: Cell, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  return cell === 'text' ? String(value) : Number(value);
}

export function reportFileName(report: AnnualReport, extension: 'xlsx' | 'csv', table?: ReportTable): string {
  return `annual-report-${report.region}-${report.year}${table ? `-${table}` : ''}.${extension}`;
}

/** One table of the report as CSV: UTF-8 with a BOM (spreadsheets need it), Chinese headers, plain decimals. */
export function reportCsv(report: AnnualReport, table: ReportTable): string {
  const { columns, rows } = TABLES[table];
  const records = rows(report).map((row) => columns.map((column) => (row as Record<string, unknown>)[column.key] ?? ''));
  return `\uFEFF${stringify([columns.map((column) => column.header), ...records])}`;
}

/** The whole report as an XLSX workbook: 说明, 总览, then one sheet per table, each with its header row frozen. */
export async function reportXlsx(report: AnnualReport): Promise<Buffer> {
  // exceljs (~28 MB resident) is loaded with the first workbook asked for, not at start (decision 0046).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'voucher-ledger';
  workbook.created = new Date(report.generatedAt);

  const about = workbook.addWorksheet('说明', { views: [{ state: 'frozen', ySplit: 1 }] });
  about.columns = [
    { header: '项目', key: 'label', width: 16 },
    { header: '内容', key: 'value', width: 80 },
  ];
  about.addRows([
    { label: '报表', value: `${report.year} 年度 AI 补贴券统计报表` },
    { label: '地区', value: report.region },
    { label: '截至账本序号', value: report.throughSeq },
    { label: '年度状态', value: report.complete ? '年度已结束' : '年度进行中（数据截至生成时）' },
    { label: '生成时间', value: `${BEIJING_TIME.format(new Date(report.generatedAt))}（北京时间）` },
    { label: '口径', value: '全部数据取自账本分录（决策 0043），可用 npm run verify -- report 从导出文件独立复算；企业数、服务商数为去重计数，各行不可相加。' },
  ]);
  about.getColumn('label').numFmt = '@';
  about.getRow(1).font = { bold: true };

  const summary = workbook.addWorksheet('总览', { views: [{ state: 'frozen', ySplit: 1 }] });
  summary.columns = [
    { header: '指标', key: 'label', width: 24 },
    { header: '数值', key: 'value', width: 20 },
  ];
  for (const column of FIGURE_COLUMNS) {
    const row = summary.addRow({ label: column.header, value: cellValue(column.cell, (report.totals as unknown as Record<string, unknown>)[column.key]) });
    row.getCell('value').numFmt = NUMBER_FORMATS[column.cell]!;
  }
  for (const [key, label] of POSITION_LABELS) {
    const row = summary.addRow({ label, value: cellValue('money', report.position[key]) });
    row.getCell('value').numFmt = NUMBER_FORMATS.money!;
  }

  for (const table of Object.values(TABLES)) {
    const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((column) => ({
      header: column.header,
      key: column.key,
      width: Math.max(12, column.header.length * 2 + 2),
      style: { numFmt: NUMBER_FORMATS[column.cell]! },
    }));
    for (const row of table.rows(report))
      sheet.addRow(Object.fromEntries(table.columns.map((column) => [column.key, cellValue(column.cell, (row as Record<string, unknown>)[column.key])])));
    sheet.getRow(1).font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
