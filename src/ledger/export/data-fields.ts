// The few members of an entry's data that the CSV's descriptive columns show, read straight from the stored
// JSON text. JSON.parse would build the whole object, and V8 internalizes every string value of up to ten
// characters it parses (amounts, rates, invoice numbers): internalized strings are allocated in the old
// generation, about 250 bytes an entry left there for the next full collection (decision 0035).
// Reading only these members allocates a few young strings per entry instead. test/unit/export-data-fields
// checks the reading against JSON.parse for arbitrary JSON.

/** String members of an entry's data, and of its `contract` and `beneficiary` objects; undefined when absent or not a string. */
export interface DataFields {
  voucherId: string | undefined;
  contractId: string | undefined;
  redemptionId: string | undefined;
  invoiceNumber: string | undefined;
  executedAmount: string | undefined;
  rate: string | undefined;
  subsidy: string | undefined;
  clawback: string | undefined;
  beneficiaryUscc: string | undefined;
  providerUscc: string | undefined;
  /** contract.id, contract.number, contract.providerUscc, contract.beneficiaryUscc */
  contractOwnId: string | undefined;
  contractNumber: string | undefined;
  contractProviderUscc: string | undefined;
  contractBeneficiaryUscc: string | undefined;
  /** beneficiary.uscc, beneficiary.name */
  beneficiaryOwnUscc: string | undefined;
  beneficiaryName: string | undefined;
  /** enterprise.uscc, enterprise.name: an application's entries (decision 0038) */
  enterpriseUscc: string | undefined;
  enterpriseName: string | undefined;
}

type Field = keyof DataFields;

/** A member to read: into a field when it is a string, or, when it is an object, that object's members. */
interface Member {
  name: string;
  field?: Field;
  object?: ObjectMembers;
}

/** The members to read from one object, also by the length of their name (a key is compared with one or two names at most), and every field they fill. */
interface ObjectMembers {
  list: Member[];
  byLength: (Member[] | undefined)[];
  fields: Field[];
}

function objectMembers(list: Member[]): ObjectMembers {
  const byLength: ObjectMembers['byLength'] = [];
  for (const member of list) (byLength[member.name.length] ??= []).push(member);
  return { list, byLength, fields: list.flatMap((member) => (member.field ? [member.field] : (member.object?.fields ?? []))) };
}

const CONTRACT = objectMembers([
  { name: 'id', field: 'contractOwnId' },
  { name: 'number', field: 'contractNumber' },
  { name: 'providerUscc', field: 'contractProviderUscc' },
  { name: 'beneficiaryUscc', field: 'contractBeneficiaryUscc' },
]);
const BENEFICIARY = objectMembers([
  { name: 'uscc', field: 'beneficiaryOwnUscc' },
  { name: 'name', field: 'beneficiaryName' },
]);
const ENTERPRISE = objectMembers([
  { name: 'uscc', field: 'enterpriseUscc' },
  { name: 'name', field: 'enterpriseName' },
]);
const DATA = objectMembers([
  ...(
    ['voucherId', 'contractId', 'redemptionId', 'invoiceNumber', 'executedAmount', 'rate', 'subsidy', 'clawback', 'beneficiaryUscc', 'providerUscc'] as const
  ).map((name) => ({ name, field: name })),
  { name: 'contract', object: CONTRACT },
  { name: 'beneficiary', object: BENEFICIARY },
  // An application's entries name their enterprise, the voucher's beneficiary-to-be (decision 0038).
  { name: 'enterprise', object: ENTERPRISE },
]);

export function emptyDataFields(): DataFields {
  return Object.fromEntries(DATA.fields.map((field) => [field, undefined])) as unknown as DataFields;
}

type Data = Record<string, unknown>;
const objectOf = (value: unknown): Data | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : undefined);
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The same fields from data already parsed. */
export function dataFieldsOf(data: Data): DataFields {
  const fields = emptyDataFields();
  const read = (object: Data | undefined, members: ObjectMembers) => {
    for (const member of members.list)
      if (member.field) fields[member.field] = stringOf(object?.[member.name]);
      else if (member.object) read(objectOf(object?.[member.name]), member.object);
  };
  read(data, DATA);
  return fields;
}

/**
 * Reads the fields of an entry's data JSON into `fields`, overwriting all of them, as JSON.parse would give
 * them: the last of duplicate members wins, and only a string is a value. A text with a backslash anywhere
 * (an escaped quote, a control character, a lone surrogate: rare) is parsed with JSON.parse; any other text
 * is read in place, every string in it ending at the next quote. The text is valid JSON (the ledger writer
 * stores JSON.stringify output); a malformed one throws.
 */
export function readDataFields(json: string, fields: DataFields): void {
  if (json.includes('\\')) {
    Object.assign(fields, dataFieldsOf(JSON.parse(json) as Data));
    return;
  }
  clearDataFields(fields);
  const start = skipSpace(json, 0);
  if (json.charCodeAt(start) === OPEN_BRACE) readMembers(json, start, fields, DATA);
}

/** Sets every field to undefined (and so lets go of the strings, which may be slices of the whole text). */
export function clearDataFields(fields: DataFields): void {
  fields.voucherId = fields.contractId = fields.redemptionId = fields.invoiceNumber = fields.executedAmount = undefined;
  fields.rate = fields.subsidy = fields.clawback = fields.beneficiaryUscc = fields.providerUscc = undefined;
  fields.contractOwnId = fields.contractNumber = fields.contractProviderUscc = fields.contractBeneficiaryUscc = undefined;
  fields.beneficiaryOwnUscc = fields.beneficiaryName = fields.enterpriseUscc = fields.enterpriseName = undefined;
}

const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const malformed = () => new SyntaxError('the entry data is not the JSON the ledger writer stores');
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const endsScalar = (c: number) => isSpace(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET;

function skipSpace(json: string, i: number): number {
  while (i < json.length && isSpace(json.charCodeAt(i))) i++;
  return i;
}

/** The index of the quote that closes the string whose content starts at `i` (there are no escapes). */
function closingQuote(json: string, i: number): number {
  const quote = json.indexOf('"', i);
  if (quote < 0) throw malformed();
  return quote;
}

/**
 * Reads the members of the object that opens at `start` into `fields` and returns the index after it. A
 * member that names an object (contract, beneficiary) clears its fields first: of duplicates the last wins.
 */
function readMembers(json: string, start: number, fields: DataFields, members: ObjectMembers): number {
  let i = skipSpace(json, start + 1);
  if (json.charCodeAt(i) === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (json.charCodeAt(i) !== QUOTE) throw malformed();
    const keyEnd = closingQuote(json, i + 1);
    const member = memberNamed(members, json, i + 1, keyEnd);
    const colon = skipSpace(json, keyEnd + 1);
    if (json.charCodeAt(colon) !== COLON) throw malformed();
    const from = skipSpace(json, colon + 1);
    const to = member ? readMember(json, from, fields, member) : skipValue(json, from);
    i = skipSpace(json, to);
    const c = json.charCodeAt(i);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) throw malformed();
    i = skipSpace(json, i + 1);
  }
}

/** Reads one wanted member's value, which starts at `from`, and returns the index after it. */
function readMember(json: string, from: number, fields: DataFields, member: Member): number {
  if (member.field) {
    const to = skipValue(json, from);
    fields[member.field] = json.charCodeAt(from) === QUOTE ? json.slice(from + 1, to - 1) : undefined;
    return to;
  }
  const object = member.object!;
  for (const field of object.fields) fields[field] = undefined;
  return json.charCodeAt(from) === OPEN_BRACE ? readMembers(json, from, fields, object) : skipValue(json, from);
}

/** The member named by the key between `start` and `end`, compared in place: by length, first letter, then the rest. */
function memberNamed(members: ObjectMembers, json: string, start: number, end: number): Member | undefined {
  const candidates = members.byLength[end - start];
  if (candidates === undefined) return undefined;
  const first = json.charCodeAt(start);
  for (const member of candidates) if (member.name.charCodeAt(0) === first && json.startsWith(member.name, start)) return member;
  return undefined;
}

/** The index after the value that starts at `i`: a string, an object, an array, a number, true, false or null. */
function skipValue(json: string, i: number): number {
  const c = json.charCodeAt(i);
  if (c === QUOTE) return closingQuote(json, i + 1) + 1;
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return skipNested(json, i);
  const start = i;
  while (i < json.length && !endsScalar(json.charCodeAt(i))) i++;
  if (i === start) throw malformed();
  return i;
}

/** The index after the object or array that opens at `i`. */
function skipNested(json: string, i: number): number {
  let depth = 0;
  for (; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) i = closingQuote(json, i + 1);
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  throw malformed();
}
