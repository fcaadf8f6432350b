// The CSV export is read in spreadsheets (Excel, WPS) by audit offices: each posting is a row whose columns
// name what the entry is about (voucher, beneficiary, provider, contract, invoice, amounts), with the hashes
// and the entry's full data JSON kept at the end for anyone who needs everything. Codes and amounts are
// written as ="…" so that a spreadsheet keeps them as text: otherwise the genesis hash 000…0 becomes 0, an
// 18-digit USCC becomes 9.1E+17 and 100.00 loses its decimals. Free text that a spreadsheet would run as a
// formula (=, +, -, @ first) gets a leading apostrophe.
import { type DataFields, dataFieldsOf } from './data-fields.js';

/** What the export looks up for a page: names and numbers an entry refers to by id only. */
export interface ReferencedFacts {
  beneficiaries: Map<string, { uscc: string; name: string }>;
  contractNumbers: Map<string, string>;
  invoiceNumbers: Map<string, string>;
}

export const emptyReferencedFacts = (): ReferencedFacts => ({ beneficiaries: new Map(), contractNumbers: new Map(), invoiceNumbers: new Map() });

type Data = Record<string, unknown>;

/** Every id an entry's data refers to (a page looks up only those that collectLookups picks). */
export function referencedIds(data: Data): { voucherId?: string; contractId?: string; redemptionId?: string } {
  const fields = dataFieldsOf(data);
  const voucherId = fields.voucherId;
  const contractId = contractIdOf(fields);
  const redemptionId = fields.redemptionId;
  return {
    ...(voucherId === undefined ? {} : { voucherId }),
    ...(contractId === undefined ? {} : { contractId }),
    ...(redemptionId === undefined ? {} : { redemptionId }),
  };
}

/** Ids to look up for a page, one list per table. */
export interface LookupIds {
  voucherIds: string[];
  contractIds: string[];
  redemptionIds: string[];
}

/**
 * Adds to `ids` what describeFields will take from the page's facts: only the ids whose names or numbers
 * the entry's data does not carry itself (a redemption names its contract and invoice, not its beneficiary).
 */
export function collectLookups(fields: DataFields, ids: LookupIds): void {
  const { voucherId, redemptionId } = fields;
  const contractId = contractIdOf(fields);
  if (voucherId !== undefined && (fields.beneficiaryName === undefined || beneficiaryUsccIn(fields) === undefined)) ids.voucherIds.push(voucherId);
  if (contractId !== undefined && fields.contractNumber === undefined) ids.contractIds.push(contractId);
  if (redemptionId !== undefined && fields.invoiceNumber === undefined) ids.redemptionIds.push(redemptionId);
}

const contractIdOf = (fields: DataFields) => fields.contractId ?? fields.contractOwnId;
const beneficiaryUsccIn = (fields: DataFields) =>
  fields.beneficiaryOwnUscc ?? fields.contractBeneficiaryUscc ?? fields.beneficiaryUscc ?? fields.enterpriseUscc;

/** The descriptive columns of one entry, in CSV_COLUMNS order between `kind` and `posting_index`. */
export interface DescriptiveColumns {
  voucherId?: string | undefined;
  beneficiaryUscc?: string | undefined;
  beneficiaryName?: string | undefined;
  providerUscc?: string | undefined;
  contractNumber?: string | undefined;
  invoiceNumber?: string | undefined;
  executedAmount?: string | undefined;
  rate?: string | undefined;
  subsidy?: string | undefined;
  clawback?: string | undefined;
}

/** Reads the descriptive columns from an entry's data, completing what it names by id from the page's facts. */
export const describeEntry = (data: Data, facts: ReferencedFacts): DescriptiveColumns => describeFields(dataFieldsOf(data), facts);

/** The descriptive columns from the fields of an entry's data (data-fields.ts), completed from the page's facts. */
export function describeFields(fields: DataFields, facts: ReferencedFacts): DescriptiveColumns {
  const { voucherId, redemptionId } = fields;
  const contractId = contractIdOf(fields);
  const known = voucherId === undefined ? undefined : facts.beneficiaries.get(voucherId);
  return {
    voucherId,
    beneficiaryUscc: beneficiaryUsccIn(fields) ?? known?.uscc,
    beneficiaryName: fields.beneficiaryName ?? fields.enterpriseName ?? known?.name,
    providerUscc: fields.contractProviderUscc ?? fields.providerUscc,
    contractNumber: fields.contractNumber ?? (contractId === undefined ? undefined : facts.contractNumbers.get(contractId)),
    invoiceNumber: fields.invoiceNumber ?? (redemptionId === undefined ? undefined : facts.invoiceNumbers.get(redemptionId)),
    executedAmount: fields.executedAmount,
    rate: fields.rate,
    subsidy: fields.subsidy,
    clawback: fields.clawback,
  };
}

/** A value a spreadsheet must keep as text (codes, hashes, amounts): ="…", quotes inside doubled. */
export function asText(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? value : `="${value.replaceAll('"', '""')}"`;
}

/** The CSV field of asText(value) in one step: asText's quotes, doubled again by the field's quoting. */
export function textField(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return `"=""${value.includes('"') ? value.replaceAll('"', '""""') : value}"""`;
}

/** Free text a spreadsheet would otherwise evaluate as a formula gets a leading apostrophe. */
export function inert(value: string | undefined): string | undefined {
  return value !== undefined && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A recorded instant (UTC ISO) as Asia/Shanghai wall time, "YYYY-MM-DD HH:MM:SS.mmm" (China has no DST). */
export function shanghaiDateTime(isoInstant: string): string {
  // Shifting by whole hours leaves minutes, seconds and milliseconds alone: entries come in time order, so
  // the shifted hour of the previous instant usually serves (for the writer's toISOString form only).
  if (TO_ISO_STRING.test(isoInstant)) {
    const hour = isoInstant.slice(0, 13);
    if (hour !== lastHour.utc) lastHour = { utc: hour, shanghai: shiftedToShanghai(`${hour}:00:00.000Z`).slice(0, 13) };
    return `${lastHour.shanghai}${isoInstant.slice(13, 23)}`;
  }
  return shiftedToShanghai(isoInstant);
}

const TO_ISO_STRING = /^\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d\.\d{3}Z$/;
let lastHour = { utc: '', shanghai: '' };

function shiftedToShanghai(isoInstant: string): string {
  const shifted = new Date(Date.parse(isoInstant) + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 23)}`;
}

/** The columns, with their Chinese headers (`lang=zh`). */
export const CSV_COLUMNS = [
  ['seq', '序号'],
  ['type', '类型'],
  ['recorded_at', '记账时间（北京时间）'],
  ['actor_sub', '操作人'],
  ['actor_role', '操作人角色'],
  ['actor_scope', '操作人地区或机构'],
  ['region', '地区'],
  ['program_id', '项目编号'],
  ['kind', '券种'],
  ['voucher_id', '券编号'],
  ['beneficiary_uscc', '受益企业统一社会信用代码'],
  ['beneficiary_name', '受益企业名称'],
  ['provider_uscc', '服务商统一社会信用代码'],
  ['contract_number', '合同编号'],
  ['invoice_number', '发票号码'],
  ['executed_amount', '执行金额'],
  ['rate', '补贴比例'],
  ['subsidy', '补贴金额'],
  ['clawback', '追回金额'],
  ['posting_index', '分录序号'],
  ['account', '账户'],
  ['amount', '金额'],
  ['prev_hash', '前一条哈希'],
  ['hash', '哈希'],
  ['data', '数据（JSON）'],
] as const;

export type CsvLanguage = 'en' | 'zh';
