// Oversight, as the chain establishes it (decision 0042), replayed independently of the service: listings of
// enterprises (失信 and other lists) and their delistings, related-party groups, and spot checks of approved
// redemptions. None moves money. A listing made by region L applies to every program of a region L covers, from its
// entry until its delisting's; a group applies everywhere from its entry on; while either applies, no entry may
// give money to, or take a claim from, a party it names (which entries, and which of their parties, is PARTIES
// below). A spot check's sample is re-drawn here from the program's approved redemptions before it, and a result
// is recorded only for a drawn redemption, once.
import { hash } from 'node:crypto';
import { shanghaiDate } from './calendar.js';
import type { Entry } from './entry.js';
import { ratioUnits } from './funding.js';

type Data = Record<string, unknown>;
type Problem = string | undefined;

export const OVERSIGHT_TYPES = new Set([
  'watchlist.listed',
  'watchlist.delisted',
  'related_parties.declared',
  'spot_check.drawn',
  'spot_check.result_recorded',
]);

/** GB/T 2260 coverage, as rules.ts has it (kept here so that this file stands alone). */
function covers(outer: string, inner: string): boolean {
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return inner === outer;
}

const who = (actor: Data) => `${String(actor['role'])} ${String(actor['region'] ?? actor['org'] ?? actor['sub'])}`;

/** Listings and groups are an issuer's of `region`; a spot check also an auditor's covering it. */
export function oversightActorProblem(entry: Entry): Problem {
  const { actor, data: d } = entry;
  const region = d['region'] as string;
  if (actor['role'] === 'issuer' && actor['region'] === region) return undefined;
  if (entry.type.startsWith('spot_check.'))
    return actor['role'] === 'auditor' && covers(actor['region'] as string, region)
      ? undefined
      : `${entry.type} is written by an issuer of region ${region} or an auditor covering it, not by ${who(actor)}`;
  return `${entry.type} is written by an issuer of region ${region}, not by ${who(actor)}`;
}

/** The dates a listing entry keeps on its own: a listing not after its day, a delisting on its day (Asia/Shanghai). */
export function oversightRulesProblem(entry: Entry): Problem {
  const d = entry.data;
  const today = shanghaiDate(entry.recordedAt);
  if (entry.type === 'watchlist.listed' && (d['listedOn'] as string) > today)
    return `listedOn ${String(d['listedOn'])} is after the day the listing was recorded (${today}, Asia/Shanghai)`;
  if (entry.type === 'watchlist.delisted' && d['delistedOn'] !== today)
    return `delistedOn ${String(d['delistedOn'])} is not the day the delisting was recorded (${today}, Asia/Shanghai)`;
  return undefined;
}

/** round_half_up(rate × population), exactly: rate has at most 4 decimals, so it is a whole number of ten-thousandths. */
export function sampleSize(rate: unknown, population: number): number | undefined {
  const units = ratioUnits(rate);
  if (units === undefined) return undefined;
  return Number((units * BigInt(population) + 5_000n) / 10_000n);
}

/** Oversight entries move no money; a draw's size is round_half_up(rate × population) and it lists that many ids. */
export function recomputeOversight(entry: Entry): Problem {
  if (entry.postings.length > 0) return `${entry.type} moves no money, but has ${entry.postings.length} postings`;
  if (entry.type !== 'spot_check.drawn') return undefined;
  const d = entry.data;
  const size = sampleSize(d['rate'], d['population'] as number);
  if (size !== d['size'])
    return `size is ${String(d['size'])} but round_half_up(rate ${String(d['rate'])} × population ${String(d['population'])}) is ${String(size)}`;
  const drawn = (d['redemptionIds'] as unknown[]).length;
  return drawn === size ? undefined : `redemptionIds lists ${drawn} redemptions, but the sample's size is ${size}`;
}

/** The lowercase hex SHA-256 of the UTF-8 bytes of seed + redemptionId: a redemption's place in a draw. */
export const drawKey = (seed: string, redemptionId: string): string => hash('sha256', seed + redemptionId, 'hex');

/** A program's approved redemptions as derived-state.ts holds them: redemption.recorded, or claim.approved. */
export interface ApprovedRedemptions {
  /** Visits each approved redemption of the program so far, once (a reversal does not take one out). */
  forEach(programId: string, visit: (id: string) => void): void;
  /** Whether `id` is an approved redemption of the program. */
  has(programId: string, id: string): boolean;
}

/** What the checks read of a program (registry.ts holds it). */
interface ProgramOfOversight {
  region: string;
  kind: string;
}

interface Listing {
  id: string;
  region: string;
  uscc: string;
  seq: number;
}

interface Group {
  id: string;
  usccs: Set<string>;
  seq: number;
}

interface SpotCheck {
  programId: string;
  region: string;
  kind: string;
  drawn: Set<string>;
  /** The drawn redemptions with a result, and how many failed. */
  results: Set<string>;
  failed: number;
}

/** Which parties of each entry type a listing or a group bars, and what the entry calls them (decision 0042). */
interface Party {
  uscc: string;
  role: 'provider' | 'enterprise';
}

export interface OversightSummary {
  /** Programs closed (program.closed, closing.ts). */
  closed: number;
  listings: number;
  delisted: number;
  groups: number;
  spotChecks: number;
  /** Redemptions drawn in all, results recorded, and of those failed. */
  drawn: number;
  results: number;
  failed: number;
}

export class OversightState {
  /** Every listing by id, and the active ones by USCC (a handful: Maps of plain objects). */
  private readonly listings = new Map<string, Listing & { active: boolean }>();
  private readonly active = new Map<string, Listing[]>();
  private delisted = 0;
  /** Groups by id, and by each member's USCC. */
  private readonly groups = new Map<string, Group>();
  private readonly groupsOf = new Map<string, Group[]>();
  private readonly spotChecks = new Map<string, SpotCheck>();
  closed = 0;

  /** Whether any listing or group can bar a party: otherwise no entry needs looking at (the common case). */
  get guarding(): boolean {
    return this.active.size > 0 || this.groupsOf.size > 0;
  }

  /** Any entry of these types at all: the report then has an oversight line. */
  get any(): boolean {
    return this.closed > 0 || this.listings.size > 0 || this.groups.size > 0 || this.spotChecks.size > 0;
  }

  /** Why an oversight entry does not follow from the listings, groups, spot checks and approved redemptions before it. */
  check(entry: Entry, program: ProgramOfOversight | undefined, approved: ApprovedRedemptions): Problem {
    const d = entry.data;
    switch (entry.type) {
      case 'watchlist.listed': {
        const id = d['listingId'] as string;
        if (this.listings.has(id)) return `listing ${id} is recorded twice`;
        const same = this.active.get(d['uscc'] as string)?.find((l) => l.region === d['region']);
        return same
          ? `region ${String(d['region'])} already lists ${String(d['uscc'])} (listing ${same.id}, since seq ${same.seq}): one active listing per region and enterprise`
          : undefined;
      }
      case 'watchlist.delisted': {
        const id = d['listingId'] as string;
        const listing = this.listings.get(id);
        if (!listing) return `delists listing ${id}, which no earlier watchlist.listed entry records`;
        if (listing.region !== d['region'] || listing.uscc !== d['uscc'])
          return `listing ${id} is region ${listing.region}'s listing of ${listing.uscc}, not region ${String(d['region'])}'s of ${String(d['uscc'])}`;
        return listing.active ? undefined : `listing ${id} was already delisted`;
      }
      case 'related_parties.declared':
        return this.groups.has(d['groupId'] as string) ? `group ${String(d['groupId'])} is declared twice` : undefined;
      case 'spot_check.drawn':
        return this.drawProblem(d, program, approved);
      case 'spot_check.result_recorded': {
        const id = d['spotCheckId'] as string;
        const check = this.spotChecks.get(id);
        if (!check) return `records a result of spot check ${id}, which no earlier spot_check.drawn entry draws`;
        if (d['programId'] !== check.programId || d['region'] !== check.region || d['kind'] !== check.kind)
          return `spot check ${id} is of program ${check.programId} (${check.region}, ${check.kind}), not ${String(d['programId'])} (${String(d['region'])}, ${String(d['kind'])})`;
        const redemption = d['redemptionId'] as string;
        if (!check.drawn.has(redemption)) return `records a result for redemption ${redemption}, which spot check ${id} did not draw`;
        return check.results.has(redemption) ? `spot check ${id} already has a result for redemption ${redemption}` : undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * The sample re-drawn: the population is the program's approved redemptions before the draw, and the ids drawn are
   * the first `size` of them by drawKey. Checked without sorting them: the ids listed are approved redemptions of the
   * program, in ascending drawKey, and exactly `size` of the population have a key up to the last one's. Only when
   * that fails is the whole draw sorted, to name the first id that differs.
   */
  private drawProblem(d: Data, program: ProgramOfOversight | undefined, approved: ApprovedRedemptions): Problem {
    const id = d['spotCheckId'] as string;
    const programId = d['programId'] as string;
    if (this.spotChecks.has(id)) return `spot check ${id} is drawn twice`;
    if (!program) return `draws a spot check of program ${programId}, which no earlier program.funded entry creates`;
    if (d['region'] !== program.region || d['kind'] !== program.kind)
      return `region and kind are ${String(d['region'])}, ${String(d['kind'])} but program ${programId}'s are ${program.region}, ${program.kind}`;
    const seed = d['seed'] as string;
    const ids = d['redemptionIds'] as string[];
    const keys = ids.map((rid) => drawKey(seed, rid));
    const last = keys.at(-1);
    let population = 0;
    let upToLast = 0;
    approved.forEach(programId, (rid) => {
      population++;
      if (last !== undefined && drawKey(seed, rid) <= last) upToLast++;
    });
    if (population === 0) return `draws a spot check of program ${programId}, which has no approved redemption to sample`;
    if (d['population'] !== population)
      return `population is ${String(d['population'])} but program ${programId} has ${population} approved redemption${population === 1 ? '' : 's'} before the draw`;
    for (let i = 0; i < ids.length; i++)
      if (!approved.has(programId, ids[i]!)) return `redemptionIds[${i}] ${ids[i]!} is not an approved redemption of program ${programId}`;
    const ascending = keys.every((key, i) => i === 0 || keys[i - 1]! < key);
    if (ascending && upToLast === ids.length) return undefined;
    const draw: { rid: string; key: string }[] = [];
    approved.forEach(programId, (rid) => draw.push({ rid, key: drawKey(seed, rid) }));
    draw.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const at = ids.findIndex((rid, i) => draw[i]?.rid !== rid);
    const order = `the first ${ids.length} of program ${programId}'s ${population} approved redemptions by sha256(seed + redemptionId)`;
    return at < 0 ? `redemptionIds are not ${order}` : `redemptionIds[${at}] is ${ids[at]!}, but ${order} has ${draw[at]?.rid ?? 'none'} there`;
  }

  /**
   * Why the entry gives money to, or takes a claim from, a listed or related party (decision 0042): `region` is the
   * entry's program's region, which a listing must cover to apply. Read only while `guarding`.
   */
  partyProblem(entry: Entry): Problem {
    const d = entry.data;
    const region = d['region'] as string;
    switch (entry.type) {
      case 'voucher.issued':
        return this.listed({ uscc: (d['beneficiary'] as Data)['uscc'] as string, role: 'enterprise' }, region);
      case 'application.submitted':
        return this.listed({ uscc: (d['enterprise'] as Data)['uscc'] as string, role: 'enterprise' }, region);
      case 'redemption.recorded': {
        const contract = d['contract'] as Data;
        const provider = contract['providerUscc'] as string;
        const beneficiary = contract['beneficiaryUscc'] as string;
        return (
          this.listed({ uscc: provider, role: 'provider' }, region) ??
          this.listed({ uscc: beneficiary, role: 'enterprise' }, region) ??
          this.related(provider, beneficiary)
        );
      }
      case 'claim.submitted': {
        const contract = d['contract'] as Data;
        const provider = contract['providerUscc'] as string;
        return this.listed({ uscc: provider, role: 'provider' }, region) ?? this.related(provider, contract['beneficiaryUscc'] as string);
      }
      case 'claim.approved': {
        const provider = d['providerUscc'] as string;
        const beneficiary = d['beneficiaryUscc'] as string;
        return (
          this.listed({ uscc: provider, role: 'provider' }, region) ??
          this.listed({ uscc: beneficiary, role: 'enterprise' }, region) ??
          this.related(provider, beneficiary)
        );
      }
      case 'payment.approved':
        // A batch leaves a listed provider's lines out, blocked (decision 0042): a line for one is a payment to it.
        for (const line of d['lines'] as Data[]) {
          const problem = this.listed({ uscc: line['providerUscc'] as string, role: 'provider' }, region);
          if (problem) return `${problem}, and line ${line['lineId'] as string} pays it`;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private listed(party: Party, region: string): Problem {
    if (this.active.size === 0) return undefined;
    const listing = this.active.get(party.uscc)?.find((l) => covers(l.region, region));
    return listing ? `the ${party.role} ${party.uscc} is listed by region ${listing.region} (listing ${listing.id}) since seq ${listing.seq}` : undefined;
  }

  private related(provider: string, beneficiary: string): Problem {
    if (this.groupsOf.size === 0) return undefined;
    const group = this.groupsOf.get(provider)?.find((g) => g.usccs.has(beneficiary));
    return group
      ? `the provider ${provider} and the enterprise ${beneficiary} are related parties (group ${group.id}, declared at seq ${group.seq})`
      : undefined;
  }

  /** Records what a well-formed oversight entry establishes. */
  apply(entry: Entry): void {
    const d = entry.data;
    switch (entry.type) {
      case 'watchlist.listed': {
        const id = d['listingId'] as string;
        if (this.listings.has(id)) return;
        const listing = { id, region: d['region'] as string, uscc: d['uscc'] as string, seq: entry.seq, active: true };
        this.listings.set(id, listing);
        const list = this.active.get(listing.uscc);
        if (list) list.push(listing);
        else this.active.set(listing.uscc, [listing]);
        return;
      }
      case 'watchlist.delisted': {
        const listing = this.listings.get(d['listingId'] as string);
        if (!listing?.active) return;
        listing.active = false;
        this.delisted++;
        const rest = (this.active.get(listing.uscc) ?? []).filter((l) => l !== listing);
        if (rest.length > 0) this.active.set(listing.uscc, rest);
        else this.active.delete(listing.uscc);
        return;
      }
      case 'related_parties.declared': {
        const id = d['groupId'] as string;
        if (this.groups.has(id)) return;
        const group = { id, usccs: new Set(d['usccs'] as string[]), seq: entry.seq };
        this.groups.set(id, group);
        for (const uscc of group.usccs) {
          const list = this.groupsOf.get(uscc);
          if (list) list.push(group);
          else this.groupsOf.set(uscc, [group]);
        }
        return;
      }
      case 'spot_check.drawn': {
        const id = d['spotCheckId'] as string;
        if (this.spotChecks.has(id)) return;
        this.spotChecks.set(id, {
          programId: d['programId'] as string,
          region: d['region'] as string,
          kind: d['kind'] as string,
          drawn: new Set(d['redemptionIds'] as string[]),
          results: new Set(),
          failed: 0,
        });
        return;
      }
      case 'spot_check.result_recorded': {
        const check = this.spotChecks.get(d['spotCheckId'] as string);
        const redemption = d['redemptionId'] as string;
        if (!check || check.results.has(redemption)) return;
        check.results.add(redemption);
        if (d['outcome'] === 'failed') check.failed++;
        return;
      }
      default:
        return;
    }
  }

  summary(): OversightSummary {
    let drawn = 0;
    let results = 0;
    let failed = 0;
    for (const check of this.spotChecks.values()) {
      drawn += check.drawn.size;
      results += check.results.size;
      failed += check.failed;
    }
    return {
      closed: this.closed,
      listings: this.listings.size,
      delisted: this.delisted,
      groups: this.groups.size,
      spotChecks: this.spotChecks.size,
      drawn,
      results,
      failed,
    };
  }
}
