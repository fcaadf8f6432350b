// Rules an entry must keep on its own (with the policy files): who may write it, its dates against the policy
// window, the contract and the day it was recorded, and a program's limits against the policy. Every entry
// reaching here has the exact shape of its type (shapes.ts), so members are read without further guards.
import { applicationRulesProblem } from './applications.js';
import { claimActorProblem, claimRulesProblem } from './claims.js';
import { closeRulesProblem, periodRulesProblem } from './closing.js';
import { shanghaiDate } from './calendar.js';
import { compareRate, fen, rate } from './arithmetic.js';
import type { Entry } from './entry.js';
import { fundingRulesProblem, isConfirmation } from './funding.js';
import type { PolicyFacts } from './recompute.js';
import { oversightActorProblem, oversightRulesProblem } from './oversight.js';
import { paymentRulesProblem } from './settlement.js';

export { shanghaiDate };

type Problem = string | undefined;
type Data = Record<string, unknown>;

/** GB/T 2260: a province XX0000 covers XXxxxx, a prefecture XXYY00 covers XXYYxx, a county only itself. */
export function covers(outer: string, inner: string): boolean {
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return inner === outer;
}

const issuerOf = (actor: Data, region: unknown) => actor['role'] === 'issuer' && actor['region'] === region;
const providerOf = (actor: Data, org: unknown) => actor['role'] === 'provider' && actor['org'] === org;

/** The roles that may write each entry type, and whose region or org must cover it (the services' authorisation). */
function actorProblem(entry: Entry): Problem {
  const { actor, data: d } = entry;
  const who = `${String(actor['role'])} ${String(actor['region'] ?? actor['org'] ?? actor['sub'])}`;
  switch (entry.type) {
    case 'program.funded':
    case 'program.budget_changed':
      return fundingRulesProblem(entry);
    case 'payment.approved':
    case 'payment.disbursed':
    case 'payment.recovered':
      return paymentRulesProblem(entry, shanghaiDate(entry.recordedAt));
    case 'voucher.issued':
    case 'voucher.revoked':
    case 'program.closed':
      return issuerOf(actor, d['region']) ? undefined : `${entry.type} is written by an issuer of region ${String(d['region'])}, not by ${who}`;
    case 'voucher.expired':
      return actor['role'] === 'system' || issuerOf(actor, d['region'])
        ? undefined
        : `voucher.expired is written by the system or an issuer of region ${String(d['region'])}, not by ${who}`;
    case 'redemption.recorded': {
      const provider = (d['contract'] as Data)['providerUscc'];
      return providerOf(actor, provider) ? undefined : `redemption.recorded is written by the contract's provider ${String(provider)}, not by ${who}`;
    }
    case 'application.submitted': {
      const uscc = (d['enterprise'] as Data)['uscc'];
      return actor['role'] === 'enterprise' && actor['org'] === uscc
        ? undefined
        : `application.submitted is written by the enterprise ${String(uscc)} itself, not by ${who}`;
    }
    case 'application.reviewed':
    case 'application.notice_opened':
    case 'application.objection_recorded':
    case 'application.objection_resolved':
      return issuerOf(actor, d['region']) ? undefined : `${entry.type} is written by an issuer of region ${String(d['region'])}, not by ${who}`;
    case 'claim.submitted':
    case 'claim.confirmed':
    case 'claim.disputed':
    case 'claim.resubmitted':
    case 'claim.returned':
    case 'claim.approved':
    case 'claim.rejected':
    case 'claim.withdrawn':
    case 'claim.lapsed':
      return claimActorProblem(entry);
    case 'watchlist.listed':
    case 'watchlist.delisted':
    case 'related_parties.declared':
    case 'spot_check.drawn':
    case 'spot_check.result_recorded':
      return oversightActorProblem(entry);
    case 'redemption.reversed':
      return providerOf(actor, d['providerUscc']) || issuerOf(actor, d['region'])
        ? undefined
        : `redemption.reversed is written by the provider ${String(d['providerUscc'])} or an issuer of region ${String(d['region'])}, not by ${who}`;
    default:
      return `unknown entry type ${entry.type}`;
  }
}

function knownPolicy(d: Data, policies: Map<string, PolicyFacts>): PolicyFacts | string {
  const policy = policies.get(String(d['policySha256']));
  if (!policy) return `policy file with sha256 ${String(d['policySha256'])} is not known to the verifier`;
  if (policy.id !== d['policyId']) return `policySha256 is the file of policy ${policy.id}, not of ${String(d['policyId'])}`;
  return policy;
}

/** A program covers exactly the policy's buckets of its kind, each no looser than the policy (resolveProgramLimits). */
function programProblem(d: Data, policies: Map<string, PolicyFacts>): Problem {
  const policy = knownPolicy(d, policies);
  if (typeof policy === 'string') return policy;
  if (!covers(policy.jurisdiction, String(d['region']))) return `policy ${policy.id} applies within region ${policy.jurisdiction}, not ${String(d['region'])}`;
  const limits = d['limits'] as Record<string, Data>;
  const buckets = Object.entries(policy.buckets).filter(([, bucket]) => bucket.kind === d['kind']);
  if (buckets.length === 0) return `kind ${String(d['kind'])} has no bucket in policy ${policy.id}`;
  const names = Object.keys(limits);
  const unknown = names.find((name) => !buckets.some(([bucket]) => bucket === name));
  if (unknown !== undefined) return `limits.${unknown} is not a bucket of a ${String(d['kind'])} program under policy ${policy.id}`;
  for (const [name, bucket] of buckets) {
    const limit = limits[name];
    if (!limit) return `limits.${name} is missing`;
    if (compareRate(rate(limit['rate'])!, rate(bucket.rate)!) > 0) return `limits.${name}.rate ${String(limit['rate'])} is above the policy's ${bucket.rate}`;
    const cap = limit['annualCap'] === null ? null : fen(limit['annualCap'])!;
    if (cap !== null && cap < 0n) return `limits.${name}.annualCap is negative`;
    if (cap !== null && bucket.annualCap !== null && cap > fen(bucket.annualCap)!)
      return `limits.${name}.annualCap ${String(limit['annualCap'])} is above the policy's ${bucket.annualCap}`;
  }
  return undefined;
}

/** The service's eligibility rules (rules/eligibility.ts), in its order, as far as the entry records their inputs. */
function redemptionProblem(entry: Entry, policies: Map<string, PolicyFacts> | undefined): Problem {
  const d = entry.data;
  const contract = d['contract'] as Data;
  const executedOn = d['executedOn'] as string;
  if (d['year'] !== Number(executedOn.slice(0, 4))) return `year ${String(d['year'])} is not the year of executedOn ${executedOn}`;
  if (contract['providerUscc'] === contract['beneficiaryUscc']) return 'the contract’s provider and beneficiary are the same enterprise';
  const today = shanghaiDate(entry.recordedAt);
  if (executedOn > today) return `executedOn ${executedOn} is after the day it was recorded (${today}, Asia/Shanghai)`;
  const policy = policies && knownPolicy(d, policies);
  if (typeof policy === 'string') return policy;
  if (policy && (executedOn < policy.effective.from || executedOn > policy.effective.to))
    return `executedOn ${executedOn} is outside policy ${policy.id}'s window ${policy.effective.from} to ${policy.effective.to}`;
  if (executedOn < (contract['signedOn'] as string)) return `executedOn ${executedOn} is before the contract was signed on ${String(contract['signedOn'])}`;
  const amount = fen(contract['amount'])!;
  if (amount <= 0n) return 'the contract amount is not positive';
  if (fen(d['netExecutedAfter'])! > amount)
    return `netExecutedAfter ${String(d['netExecutedAfter'])} is above the contract amount ${String(contract['amount'])}`;
  if (!policy) return undefined;
  const bucket = Object.hasOwn(policy.buckets, String(d['bucket'])) ? policy.buckets[String(d['bucket'])]! : undefined;
  if (!bucket) return `bucket ${String(d['bucket'])} is not in policy ${policy.id}`;
  if (bucket.kind !== d['kind']) return `bucket ${String(d['bucket'])} is for ${bucket.kind}, not ${String(d['kind'])}`;
  const autonomous = bucket.autonomous ?? null;
  if (contract['autonomous'] !== autonomous)
    return `bucket ${String(d['bucket'])} is for contracts with autonomous ${String(autonomous)}, the contract has ${String(contract['autonomous'])}`;
  return undefined;
}

/** Why the entry breaks a rule it can be held to on its own, or undefined. */
export function rulesProblem(entry: Entry, policies: Map<string, PolicyFacts> | undefined): Problem {
  const actor = actorProblem(entry);
  if (actor) return actor;
  const d = entry.data;
  switch (entry.type) {
    case 'program.funded':
      // Only a program whose redemptions are claims records `claims` (decision 0041): one with neither check on is not one.
      if ('claims' in d && (d['claims'] as Data)['beneficiaryConfirmation'] !== true && (d['claims'] as Data)['review'] !== true)
        return 'records claims with neither beneficiaryConfirmation nor review: only a program whose redemptions are claims records them';
      return periodRulesProblem(d) ?? (policies && !isConfirmation(entry) ? programProblem(d, policies) : undefined);
    case 'program.closed':
      return closeRulesProblem(entry);
    case 'watchlist.listed':
    case 'watchlist.delisted':
      return oversightRulesProblem(entry);
    case 'voucher.issued': {
      const today = shanghaiDate(entry.recordedAt);
      return (d['expiresOn'] as string) < today
        ? `expiresOn ${String(d['expiresOn'])} was already past when the voucher was issued (${today}, Asia/Shanghai)`
        : undefined;
    }
    case 'voucher.expired': {
      // The sweep expires a voucher only once its last valid day has passed in Asia/Shanghai.
      const today = shanghaiDate(entry.recordedAt);
      return (d['expiresOn'] as string) < today
        ? undefined
        : `the voucher expires on ${String(d['expiresOn'])}: it cannot have expired on ${today} (Asia/Shanghai)`;
    }
    case 'redemption.recorded':
      return redemptionProblem(entry, policies);
    // A claim is decided exactly as a redemption (decision 0041), then keeps its own rules.
    case 'claim.submitted':
      return redemptionProblem(entry, policies) ?? claimRulesProblem(entry);
    case 'claim.confirmed':
    case 'claim.resubmitted':
    case 'claim.approved':
    case 'claim.rejected':
    case 'claim.withdrawn':
    case 'claim.lapsed':
      return claimRulesProblem(entry);
    case 'application.submitted':
    case 'application.reviewed':
    case 'application.notice_opened':
      return applicationRulesProblem(entry);
    case 'redemption.reversed':
      return d['providerUscc'] === d['beneficiaryUscc'] ? 'the provider and the beneficiary are the same enterprise' : undefined;
    default:
      return undefined;
  }
}
