// The messages of `errors[]` (and of a validation problem's detail) in Chinese, for callers who ask for
// problems in Chinese. One row per message the code emits: the custom messages of the zod schemas and of the
// use cases' field errors, and zod's own defaults where a schema sets none. A `{name}` stands for the part of
// the message that varies (a number, a region, a list of values), copied into the Chinese as it is; `{type…}`
// is a zod type name, translated by TYPE_NAMES; `{message}` is itself a message, translated by this table. A
// message no row matches stays in English: nothing is guessed. A unit test scans the source for custom
// messages and fails on one without a row here.

type Row = readonly [english: string, chinese: string];

export const FIELD_MESSAGES: readonly Row[] = [
  // errors.ts: an unknown key of a strict object
  ['is not a recognised field', '不是可识别的字段'],
  ['is not a recognised query parameter of this route', '不是该接口可识别的查询参数'],

  // shared: text, money, dates, regions, USCC, pages and cursors
  ['must be a string', '须为字符串'],
  ['must not be empty', '不能为空'],
  ['must be at most {n} characters', '不能超过 {n} 个字符'],
  ['must be a string of yuan such as "1234.50"', '须为以元为单位的金额字符串，如 "1234.50"'],
  [
    'must be yuan as a string with at most 13 integer digits and 2 decimals, e.g. "1234.50"',
    '须为以元为单位的金额字符串，整数部分至多 13 位、小数至多 2 位，如 "1234.50"',
  ],
  ['must be greater than 0.00', '须大于 0.00'],
  ['must be a date string YYYY-MM-DD', '须为 YYYY-MM-DD 格式的日期字符串'],
  ['must be a real calendar date YYYY-MM-DD', '须为真实存在的日期（YYYY-MM-DD）'],
  ['must be a 6-digit GB/T 2260 region code', '须为 6 位 GB/T 2260 行政区划代码'],
  ['must be an 18-character Unified Social Credit Code', '须为 18 位统一社会信用代码'],
  ['must be an 18-character Unified Social Credit Code with a valid GB 32100-2015 check character', '须为 18 位统一社会信用代码，且校验码符合 GB 32100-2015'],
  ['must be a whole number from {n} to {m}', '须为 {n} 至 {m} 之间的整数'],
  ['must be a whole number', '须为整数'],
  ['must be the nextCursor of a previous page', '须为上一页返回的 nextCursor'],
  ['is not a cursor this list gave out: send back nextCursor unchanged', '不是本列表给出的游标，请原样传回 nextCursor'],
  ['must be a decimal fraction string such as "0.30"', '须为小数字符串，如 "0.30"'],
  ['must be a decimal fraction string between "0" and "1" with at most 6 decimals, e.g. "0.30"', '须为 "0" 至 "1" 之间、至多 6 位小数的小数字符串，如 "0.30"'],
  ['must be one of {values}', '须为以下之一：{values}'],
  ['must be true or false', '须为 true 或 false'],

  // http and settlement: Idempotency-Key and bank references; text refused before any route runs
  ['must be 1 to {n} visible ASCII characters', '须为 1 至 {n} 个可见 ASCII 字符'],
  ['must be well-formed Unicode text (it holds a lone surrogate)', '须为格式正确的 Unicode 文本（其中含有孤立代理项）'],
  ['must not contain control characters (other than tab and line breaks)', '不得包含控制字符（制表符和换行符除外）'],
  ['has a key that {message}', '有一个键名{message}'],

  // the console's sign-in links
  ['must be the code of a sign-in link', '须为登录链接中的一次性代码'],
  ['is nested more than {n} levels deep', '嵌套层级超过 {n} 层'],
  ['must be visible text without control characters or surrounding whitespace', '须为可见文本，不得含控制字符，首尾不得有空白'],

  // programs
  ['must be a decimal string such as "0.6"', '须为小数字符串，如 "0.6"'],
  ['must be a decimal string between 0 and 1 with at most 4 decimals, e.g. "0.6"', '须为 0 至 1 之间、至多 4 位小数的小数字符串，如 "0.6"'],
  ['must be greater than 0 and at most 1', '须大于 0 且不大于 1'],
  ['must be an object {region, ratio}', '须为对象 {region, ratio}'],
  ['must be a policy id string', '须为政策编号字符串'],
  ['must be an object {rate?, annualCap?}', '须为对象 {rate?, annualCap?}'],
  ['must be an object keyed by cap bucket', '须为以上限类别为键的对象'],
  ['must be an array of {region, ratio}', '须为 {region, ratio} 对象的数组'],
  ['must list at least one funder', '须至少列出一个出资地区'],
  ['must list at most {n} funders', '至多列出 {n} 个出资地区'],
  ['must be "increase" or "decrease"', '须为 "increase" 或 "decrease"'],
  ['lists region {region} again (already {field})', '重复列出地区 {region}（已见于 {field}）'],
  ["must be the issuer's region {region} or a region that covers it", '须为发放机构所在地区 {region} 或涵盖该地区的上级地区'],
  ["must include the issuer's own region {region}", '须包含发放机构本地区 {region}'],
  ['ratios must sum to exactly 1; they sum to {sum}', '各出资比例之和须恰为 1，现为 {sum}'],
  ['unknown policy; known: {ids}', '未知的政策；现有政策：{ids}'],
  ['unknown policy', '未知的政策'],
  ['is not a cap bucket of a {kind} program', '不是 {kind} 类项目的上限类别'],

  // providers
  ['must be a service code string', '须为服务编码字符串'],
  ["must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", "须为 1 至 64 个字母、数字、'.'、'_' 或 '-'，且以字母或数字开头"],
  ['must be a string of digits', '须为数字字符串'],
  ['must be 8 to 32 digits, without spaces or separators', '须为 8 至 32 位数字，不含空格或分隔符'],
  ['must be an object {bankName, accountName, accountNumber}', '须为对象 {bankName, accountName, accountNumber}'],
  ['must be an object {code, name, kind, autonomous?}', '须为对象 {code, name, kind, autonomous?}'],
  ['must be an array of services', '须为服务的数组'],
  ['must list at least one service', '须至少列出一项服务'],
  ['must list at most {n} services', '至多列出 {n} 项服务'],
  ['is required for a compute service', '算力服务须填写此项'],
  ['must be absent for a {kind} service', '{kind} 类服务不得填写此项'],
  ['repeats the code of {field}', '与 {field} 的服务编码重复'],

  // contracts, vouchers
  ['is required for a compute contract', '算力合同须填写此项'],
  ['must be absent for a {kind} contract', '{kind} 类合同不得填写此项'],
  ['must not be in the future (Asia/Shanghai)', '不能晚于今天（北京时间）'],
  ['must not be in the past (Asia/Shanghai)', '不能早于今天（北京时间）'],
  ['must be an object {uscc, name}', '须为对象 {uscc, name}'],

  // settlement: bank references and statement files
  ['is not a CSV file: {reason}', '不是有效的 CSV 文件：{reason}'],
  ['must start with the header {header}', '须以表头 {header} 开头'],
  ['must hold at most {n} rows', '至多包含 {n} 行'],

  // transparency: a witness's cosigned note (transparency/note.ts, read by cosignatures.service.ts)
  ['must be the checkpoint note with the witness signature line', '须为带见证方签名行的检查点签名注记'],
  ['not a signed note: no blank line before the signatures, or no final newline', '不是签名注记：签名行之前没有空行，或末尾没有换行符'],
  ['not a note signature line: {line}', '不是注记签名行：{line}'],
  ['the signature of {name} is too short', '{name} 的签名过短'],
  ['not a checkpoint: origin, tree size and base64 root hash lines', '不是检查点：须为来源、树大小和 base64 根哈希三行'],

  // beneficiaries' usage, ledger export
  ['must be a four-digit year', '须为四位数年份'],
  ['must be ndjson or csv', '须为 ndjson 或 csv'],
  ['must be 0 or 1', '须为 0 或 1'],
  ['must be en or zh', '须为 en 或 zh'],
  ['must not be below fromSeq', '不能小于 fromSeq'],
  ['must not be before from', '不能早于 from'],
  ['applies to csv only', '仅适用于 csv 格式'],

  // documents: hashes, names and uploads
  ['must be a SHA-256: 64 lowercase hexadecimal digits', '须为 SHA-256 值：64 位小写十六进制数字'],
  ['must be a file name without control characters, slashes or surrounding whitespace', '须为文件名，不得含控制字符或斜杠，首尾不得有空白'],
  ['must be multipart/form-data with exactly one file part', '须为 multipart/form-data 格式，且恰好包含一个文件部分'],

  // programs that take applications, and the applications themselves
  ['must be a telephone number such as "0571-87001234"', '须为电话号码，如 "0571-87001234"'],
  ['must be an object {office, telephone}: the office that takes objections and its telephone', '须为对象 {office, telephone}：受理异议的部门及其电话'],
  ['must be a whole number of working days from 1 to 30', '须为 1 至 30 之间的整数个工作日'],
  // Claims (decision 0041).
  ['must be a whole number of days', '须为整数天数'],
  ['must be a whole number of days from 1 to 60', '须为 1 至 60 之间的整数天数'],
  ['must be at least 1 day', '至少为 1 天'],
  ['must be at most 60 days', '至多为 60 天'],
  ['must be an object {beneficiaryConfirmation?, review?, confirmationDays?}', '须为对象 {beneficiaryConfirmation?, review?, confirmationDays?}'],
  ['must be "approve", "reject" or "return"', '须为 "approve"（核准）、"reject"（驳回）或 "return"（退回）'],
  [
    'must list at least two documents: the contract and the invoice (upload them with POST /v1/documents)',
    '至少须列出两份材料：合同和发票（先通过 POST /v1/documents 上传）',
  ],
  [
    'must list at least one document: the proof of payment (upload it with POST /v1/documents)',
    '至少须列出一份材料：付款凭证（先通过 POST /v1/documents 上传）',
  ],
  ['is only for programs whose redemptions are claims (decision 0041)', '仅适用于核销须经企业确认或主管部门审核的项目'],
  [
    'is required: the program’s redemptions are claims, backed by the contract and the invoice at least (decision 0041)',
    '必填：该项目的核销须附合同和发票等材料，经确认或审核后方形成应付款',
  ],
  ['must be at least 1 working day', '至少为 1 个工作日'],
  ['must be at most 30 working days', '至多为 30 个工作日'],
  ['must be an object {opensOn, closesOn, noticeWorkingDays?, contact}', '须为对象 {opensOn, closesOn, noticeWorkingDays?, contact}'],
  ['must be "direct" or "application"', '须为 "direct"（直接发放）或 "application"（申报审核）'],
  ['must not be before opensOn', '不能早于 opensOn（申报开始日期）'],
  ['is required when issuance is "application"', 'issuance 为 "application" 时必填'],
  ['is only for programs whose issuance is "application"', '仅适用于 issuance 为 "application" 的项目'],
  ['must be a document’s SHA-256, 64 lowercase hex digits', '须为材料的 SHA-256，64 位小写十六进制'],
  [
    'must be an object {noRelatedPartyContracts, noOtherPublicFunding, noDishonestyRecord}',
    '须为对象 {noRelatedPartyContracts, noOtherPublicFunding, noDishonestyRecord}',
  ],
  ['must be an array of document SHA-256s', '须为材料 SHA-256 的数组'],
  ['must list at least one document (upload it with POST /v1/documents)', '须至少列出一份材料（先通过 POST /v1/documents 上传）'],
  ['must list at most 20 documents', '至多列出 20 份材料'],
  ['must not list a document twice', '不能重复列出同一份材料'],
  ['must be "first" or "final"', '须为 "first"（初审）或 "final"（复审）'],
  ['must be "approve", "return" or "reject"', '须为 "approve"（通过）、"return"（退回）或 "reject"（不予通过）'],
  ['must be "upheld" or "dismissed"', '须为 "upheld"（异议成立）或 "dismissed"（异议不成立）'],
  ['is given only with a final approval', '仅复审通过时填写'],
  ['must be the revision number the review is of', '须为所审核的申报版本号'],
  ["must be the application's program {id}", '须为该申报所属项目 {id}'],
  ["must be the enterprise's own USCC, or absent", '须为本企业自己的统一社会信用代码，或不填'],
  // Program periods, the watchlist, related parties, invoices and spot checks (decision 0042).
  ['must be a whole year such as 2026', '须为整数年份，如 2026'],
  ['must be 2020 or later', '不能早于 2020 年'],
  // the annual report (decision 0043)
  ['is required: a year such as 2026', '必填：年度，如 2026'],
  ['must be a year such as 2026', '须为年度，如 2026'],
  ['must be json, csv or xlsx', '须为 json、csv 或 xlsx'],
  ['must be regions, kinds, buckets, funders or months', '须为 regions、kinds、buckets、funders 或 months'],
  ['must not be after the current year {year} (Asia/Shanghai)', '不能晚于当前年度 {year}（北京时间）'],
  ["must not be after seq {seq}, the year's last entry so far", '不能超过序号 {seq}，即该年度截至目前的最后一笔分录'],
  ['must be 2100 or earlier', '不能晚于 2100 年'],
  ['fiscalYear and closesOn go together: give both or neither', 'fiscalYear 与 closesOn 须同时提供或同时省略'],
  ['must be from {from} to {to}', '须在 {from} 至 {to} 之间'],
  ["must not be after the program's closesOn", '不能晚于项目的关闭日（closesOn）'],
  ["must not be after the program's closesOn ({date})", '不能晚于项目的关闭日（{date}）'],
  ['must be an array of USCCs', '须为统一社会信用代码数组'],
  ['must list at least 2 enterprises', '至少列出 2 家企业'],
  ['must list at most 20 enterprises', '至多列出 20 家企业'],
  ['is listed twice', '重复列出'],
  ['must be "active" or "delisted"', '须为 "active" 或 "delisted"'],
  ['must be a text of 1 to 128 printable characters', '须为 1 至 128 个可打印字符'],
  ['must be "passed" or "failed"', '须为 "passed" 或 "failed"'],
  ['was not drawn in spot check {id}', '未在抽查 {id} 中被抽中'],
  [
    'is a 20-digit fully digitalised e-invoice number whose first two digits (the year, {yy}) must be from {from} to {to}',
    '为 20 位全电发票号码，其前两位（开票年度，{yy}）须在 {from} 至 {to} 之间',
  ],
  [
    "is a 20-digit fully digitalised e-invoice number whose digits 3–4 (the tax bureau's code) must not be 00",
    '为 20 位全电发票号码，其第 3–4 位（税务机关代码）不能为 00',
  ],
  // webhooks (decision 0044)
  ['must be a URL', '须为 URL'],
  ['must be an array of event types', '须为事件类型数组'],
  ['must list at least {n} event type', '须至少列出 {n} 个事件类型'],
  ['must list at most {n} event types', '须至多列出 {n} 个事件类型'],
  ['is not an event a subscriber of this role receives: {events}', '不是该角色的订阅者可接收的事件，可选：{events}'],
  ['must be an id', '须为标识符'],
  ['must be an absolute URL', '须为完整的绝对 URL'],
  ['must be an https:// URL', '须为 https:// 地址'],
  ['must be an http:// or https:// URL', '须为 http:// 或 https:// 地址'],
  ['must be given once', '只能给出一次'],
  ['is required', '必填'],
  ['must be an https:// URL in production', '生产环境中须为 https:// 地址'],
  ['must not carry credentials: the signature authenticates the service', '不得包含用户名或密码：由签名证明消息来源'],
  ['must not have a fragment', '不得包含片段（#…）'],
  [
    '{host} is a loopback or private address; list it in WEBHOOK_ALLOW_PRIVATE to allow it',
    '{host} 是本机或内网地址；如需允许，请将其列入 WEBHOOK_ALLOW_PRIVATE',
  ],

  // calendar data files (src/calendar/data), checked when loaded
  ['must be the notice title 国务院办公厅关于YYYY年部分节假日安排的通知', '须为通知标题“国务院办公厅关于YYYY年部分节假日安排的通知”'],
  ['must be the document number, e.g. 国办发明电〔2025〕7号', '须为文号，如 国办发明电〔2025〕7号'],
  ['must be the notice on https://www.gov.cn/', '须为 https://www.gov.cn/ 上的通知'],

  // zod's defaults (en locale), where a schema sets no message of its own
  ['Invalid input: expected {typeExpected}, received {typeReceived}', '输入无效：应为{typeExpected}，实际为{typeReceived}'],
  ['Invalid input: expected {value}', '输入无效：应为 {value}'],
  ['Invalid option: expected one of {values}', '选项无效：应为 {values} 之一'],
  ['Invalid input', '输入无效'],
  ['Too small: expected string to have >={n} characters', '过短：至少须有 {n} 个字符'],
  ['Too big: expected string to have <={n} characters', '过长：至多 {n} 个字符'],
  ['Too small: expected array to have >={n} items', '过少：至少须有 {n} 项'],
  ['Too big: expected array to have <={n} items', '过多：至多 {n} 项'],
  ['Too small: expected number to be >={n}', '过小：须不小于 {n}'],
  ['Too small: expected number to be >{n}', '过小：须大于 {n}'],
  ['Too big: expected number to be <={n}', '过大：须不大于 {n}'],
  ['Too big: expected number to be <{n}', '过大：须小于 {n}'],
  ['Invalid string: must match pattern {pattern}', '字符串无效：须符合模式 {pattern}'],
  ['Unrecognized key: {keys}', '无法识别的字段：{keys}'],
  ['Unrecognized keys: {keys}', '无法识别的字段：{keys}'],
];

/** zod's type names (`expected string, received number`); one not listed is kept as zod writes it. */
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: '字符串',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  record: '对象',
  bigint: '大整数',
  date: '日期',
  undefined: '空（未提供）',
  null: 'null',
  nan: 'NaN',
  NaN: 'NaN',
};

/** `{n}`, `{m}`: a number; any other `{name}`: some text. (`{region, ratio}` is text, not a placeholder.) */
const PLACEHOLDER = /\{([A-Za-z]+)\}/g;
const hasPlaceholder = (english: string) => /\{[A-Za-z]+\}/.test(english);
const NUMBER = new Set(['n', 'm']);

interface Compiled {
  pattern: RegExp;
  names: string[];
  chinese: string;
}

function compile([english, chinese]: Row): Compiled {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const match of english.matchAll(PLACEHOLDER)) {
    source += english.slice(last, match.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(match[1]!);
    source += NUMBER.has(match[1]!) ? '(-?[0-9]+(?:\\.[0-9]+)?)' : '(.+?)';
    last = match.index + match[0].length;
  }
  source += english.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { pattern: new RegExp(`^${source}$`, 's'), names, chinese };
}

const EXACT = new Map(FIELD_MESSAGES.filter(([english]) => !hasPlaceholder(english)));
const PATTERNS = FIELD_MESSAGES.filter(([english]) => hasPlaceholder(english)).map(compile);

/** A field message in Chinese, or undefined when the table has none for it (the caller keeps the English). */
export function fieldMessageInChinese(message: string): string | undefined {
  const exact = EXACT.get(message);
  if (exact !== undefined) return exact;
  for (const { pattern, names, chinese } of PATTERNS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const values = new Map<string, string>();
    let complete = true;
    names.forEach((name, i) => {
      const value = match[i + 1]!;
      if (name === 'message') {
        const inner = fieldMessageInChinese(value);
        if (inner === undefined) complete = false;
        values.set(name, inner ?? value);
      } else values.set(name, name.startsWith('type') ? (TYPE_NAMES[value] ?? value) : value);
    });
    if (complete) return chinese.replace(PLACEHOLDER, (_, name: string) => values.get(name) ?? `{${name}}`);
  }
  return undefined;
}
