import type { TokenActor } from '../auth/actor.js';
import { coveredRange } from '../shared/region.js';

/** An entry as stored, with what decides who may see it: its region, and its data and actor as JSON text. */
export interface StoredEntryScope {
  region: string;
  data: string;
  actor: string;
}

/** What an entry names only by id, whose organisations are looked up (a revocation names its voucher, not its holder). */
export interface EntryReferences {
  voucherIds: string[];
  applicationIds: string[];
  redemptionIds: string[];
}

/** The organisations (USCCs) behind an entry's references: a voucher's beneficiary, an application's applicant, a redemption's provider and beneficiary. */
export type PartiesOf = (references: EntryReferences) => Promise<ReadonlySet<string>>;

type Data = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const objectsIn = (value: unknown): Data[] => (Array.isArray(value) ? value.filter((item): item is Data => typeof item === 'object' && item !== null) : []);
const objectAt = (data: Data, key: string): Data => (typeof data[key] === 'object' && data[key] !== null ? (data[key] as Data) : {});

/**
 * The organisations an entry's data names, wherever its type puts them: as provider or beneficiary (of a redemption,
 * a claim, a contract, a payment), as a voucher's beneficiary or an application's enterprise, on a payment batch's
 * lines, as the listed organisation or a member of a related-party group; and the ids it names them by instead.
 */
export function namedParties(data: Data): { usccs: Set<string>; references: EntryReferences } {
  const contract = objectAt(data, 'contract');
  const usccs = [
    data['providerUscc'],
    data['beneficiaryUscc'],
    contract['providerUscc'],
    contract['beneficiaryUscc'],
    objectAt(data, 'beneficiary')['uscc'],
    objectAt(data, 'enterprise')['uscc'],
    data['uscc'],
    ...(Array.isArray(data['usccs']) ? data['usccs'] : []),
    ...objectsIn(data['lines']).map((line) => line['providerUscc']),
  ]
    .map(text)
    .filter((uscc): uscc is string => uscc !== undefined);
  const voucherIds = [text(data['voucherId']), ...objectsIn(data['vouchers']).map((voucher) => text(voucher['voucherId']))];
  const applicationId = text(data['applicationId']);
  const redemptionId = text(data['redemptionId']);
  return {
    usccs: new Set(usccs),
    references: {
      voucherIds: voucherIds.filter((id): id is string => id !== undefined),
      applicationIds: applicationId === undefined ? [] : [applicationId],
      redemptionIds: redemptionId === undefined ? [] : [redemptionId],
    },
  };
}

/**
 * Whether the caller may see an entry (decision 0045): auditors the entries within their region; issuers those of
 * their own region or naming it as a funder, as they read programs everywhere else; a provider or an enterprise
 * those it wrote and those that concern it, by name or through the voucher, application or redemption they name
 * (a revocation or a close of its voucher, the review of its application, a spot check of its redemption).
 * Everyone else is answered as if the entry did not exist.
 */
export async function maySeeEntry(actor: TokenActor, entry: StoredEntryScope, partiesOf: PartiesOf): Promise<boolean> {
  if (actor.role === 'auditor') {
    const { from, to } = coveredRange(actor.region);
    return entry.region >= from && entry.region <= to;
  }
  const data = JSON.parse(entry.data) as Data;
  // An issuer reads its own region's entries, as everywhere in the API, and those naming it as a program's funder.
  if (actor.role === 'issuer')
    return (
      entry.region === actor.region ||
      data['funder'] === actor.region ||
      namesFunder(data['funding'], actor.region) ||
      namesFunder(data['funders'], actor.region)
    );
  const author = JSON.parse(entry.actor) as { org?: unknown };
  if (author.org === actor.org) return true;
  const { usccs, references } = namedParties(data);
  if (usccs.has(actor.org)) return true;
  const { voucherIds, applicationIds, redemptionIds } = references;
  if (voucherIds.length + applicationIds.length + redemptionIds.length === 0) return false;
  return (await partiesOf(references)).has(actor.org);
}

const namesFunder = (list: unknown, region: string): boolean => objectsIn(list).some((funder) => funder['region'] === region);
