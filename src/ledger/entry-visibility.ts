import type { TokenActor } from '../auth/actor.js';
import { coveredRange } from '../shared/region.js';

/** An entry as stored, with what decides who may see it: its region, and its data and actor as JSON text. */
export interface StoredEntryScope {
  region: string;
  data: string;
  actor: string;
}

/**
 * Whether the caller may see an entry (decision 0045): auditors the entries within their region; issuers those of
 * their own region or naming it as a funder, as they read programs everywhere else; a provider those that name it
 * as provider or were its own; an enterprise those that name it as beneficiary or applicant, or were its own.
 * Everyone else is answered as if the entry did not exist.
 */
export function maySeeEntry(actor: TokenActor, entry: StoredEntryScope): boolean {
  if (actor.role === 'auditor') {
    const { from, to } = coveredRange(actor.region);
    return entry.region >= from && entry.region <= to;
  }
  const data = JSON.parse(entry.data) as {
    funder?: unknown;
    funding?: unknown;
    funders?: unknown;
    providerUscc?: unknown;
    beneficiaryUscc?: unknown;
    contract?: { providerUscc?: unknown; beneficiaryUscc?: unknown };
    beneficiary?: { uscc?: unknown };
    enterprise?: { uscc?: unknown };
  };
  // An issuer reads its own region's entries, as everywhere in the API, and those naming it as a program's funder.
  if (actor.role === 'issuer')
    return entry.region === actor.region || data.funder === actor.region || namesFunder(data.funding, actor.region) || namesFunder(data.funders, actor.region);
  const author = JSON.parse(entry.actor) as { org?: unknown };
  if (author.org === actor.org) return true;
  if (actor.role === 'enterprise')
    return (
      data.beneficiary?.uscc === actor.org ||
      data.enterprise?.uscc === actor.org ||
      data.beneficiaryUscc === actor.org ||
      data.contract?.beneficiaryUscc === actor.org
    );
  return data.providerUscc === actor.org || data.contract?.providerUscc === actor.org;
}

const namesFunder = (list: unknown, region: string): boolean =>
  Array.isArray(list) && list.some((funder) => typeof funder === 'object' && funder !== null && (funder as { region?: unknown }).region === region);
