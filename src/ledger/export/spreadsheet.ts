// The CSV export is read in spreadsheets (Excel, WPS) by audit offices: each posting is a row whose columns
// name what the entry is about (voucher, beneficiary, provider, contract, invoice, amounts), with the hashes
// and the entry's full data JSON kept at the end for anyone who needs everything. Codes and amounts are
// written as ="…" so that a spreadsheet keeps them as text: otherwise the genesis hash 000…0 becomes 0, an
// 18-digit USCC becomes 9.1E+17 and 100.00 loses its decimals. Free text that a spreadsheet would run as a
// formula (=, +, -, @ first) gets a leading apostrophe.

/** What the export looks up for a page: names and numbers an entry refers to by id only. */
export interface ReferencedFacts {
  beneficiaries: Map<string, { uscc: string; name: string }>;
  contractNumbers: Map<string, string>;
  invoiceNumbers: Map<string, string>;
}

export const emptyReferencedFacts = (): ReferencedFacts => ({ beneficiaries: new Map(), contractNumbers: new Map(), invoiceNumbers: new Map() });

type Data = Record<string, unknown>;

/** The ids an entry's data refers to, which the page's lookup resolves. */
export function referencedIds(data: Data): { voucherId?: string; contractId?: string; redemptionId?: string } {
  const contract = objectOf(data['contract']);
  return {
    ...(typeof data['voucherId'] === 'string' ? { voucherId: data['voucherId'] } : {}),
    ...(typeof data['contractId'] === 'string' ? { contractId: data['contractId'] } : typeof contract?.['id'] === 'string' ? { contractId: contract['id'] } : {}),
    ...(typeof data['redemptionId'] === 'string' ? { redemptionId: data['redemptionId'] } : {}),
  };
}

const objectOf = (value: unknown): Data | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : undefined);
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

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
export function describeEntry(data: Data, facts: ReferencedFacts): DescriptiveColumns {
  const contract = objectOf(data['contract']);
  const beneficiary = objectOf(data['beneficiary']);
  const ids = referencedIds(data);
  const known = ids.voucherId === undefined ? undefined : facts.beneficiaries.get(ids.voucherId);
  return {
    voucherId: ids.voucherId,
    beneficiaryUscc: stringOf(beneficiary?.['uscc']) ?? stringOf(contract?.['beneficiaryUscc']) ?? stringOf(data['beneficiaryUscc']) ?? known?.uscc,
    beneficiaryName: stringOf(beneficiary?.['name']) ?? known?.name,
    providerUscc: stringOf(contract?.['providerUscc']) ?? stringOf(data['providerUscc']),
    contractNumber: stringOf(contract?.['number']) ?? (ids.contractId === undefined ? undefined : facts.contractNumbers.get(ids.contractId)),
    invoiceNumber: stringOf(data['invoiceNumber']) ?? (ids.redemptionId === undefined ? undefined : facts.invoiceNumbers.get(ids.redemptionId)),
    executedAmount: stringOf(data['executedAmount']),
    rate: stringOf(data['rate']),
    subsidy: stringOf(data['subsidy']),
    clawback: stringOf(data['clawback']),
  };
}

/** A value a spreadsheet must keep as text (codes, hashes, amounts): ="…", quotes inside doubled. */
export function asText(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? value : `="${value.replaceAll('"', '""')}"`;
}

/** Free text a spreadsheet would otherwise evaluate as a formula gets a leading apostrophe. */
export function inert(value: string | undefined): string | undefined {
  return value !== undefined && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A recorded instant (UTC ISO) as Asia/Shanghai wall time, "YYYY-MM-DD HH:MM:SS.mmm" (China has no DST). */
export function shanghaiDateTime(isoInstant: string): string {
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
