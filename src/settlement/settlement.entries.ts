// The ledger entries settlement appends, as pure drafts (decision 0019): payment.approved moves no money and
// fixes the lines; payment.disbursed pays one line; payment.recovered takes money back. Members and their order
// are the entries' format: the verifier re-derives them and every hash covers them.
import type { Actor } from '../auth/actor.js';
import type { Program } from '../programs/programs.model.js';
import { accounts, type EntryDraft, type PostingDraft } from '../ledger/ledger.types.js';
import type { Funder, Share } from '../rules/split.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { PaymentBatch, PaymentClaim, PaymentLine, RecoveryItem } from './settlement.model.js';
import { sharesView } from './settlement.views.js';

type ProgramOfEntry = Pick<Program, 'id' | 'region' | 'kind'>;

/** The entry's common members: the program's region, id and kind. */
const programData = (program: ProgramOfEntry) => ({ region: program.region, programId: program.id, kind: program.kind });

const fundersData = (funders: readonly Funder[]) => funders.map((f) => ({ region: f.region, ratio: f.ratio }));

/** What an entry records of the redemptions a line settles. */
const redemptionAmounts = (claims: readonly PaymentClaim[]) => claims.map((claim) => ({ redemptionId: claim.redemptionId, amount: formatFen(claim.amount) }));

/** The approval of a draft by its checker: every line, with the redemptions its claims pay. */
export function approvalEntry(
  program: ProgramOfEntry,
  batch: PaymentBatch,
  lines: readonly PaymentLine[],
  claims: readonly PaymentClaim[],
  checker: Actor,
): EntryDraft {
  return {
    type: 'payment.approved',
    actor: checker,
    data: {
      ...programData(program),
      batchId: batch.id,
      cutoff: batch.cutoff,
      maker: batch.maker,
      checker: checker.sub,
      funders: fundersData(batch.funders),
      lines: lines.map((line) => ({
        lineId: line.id,
        providerUscc: line.providerUscc,
        amount: formatFen(line.amount),
        shares: sharesView(line.shares),
        redemptions: redemptionAmounts(claims.filter((claim) => claim.lineId === line.id)),
      })),
      total: formatFen(batch.total),
    },
    // An approval moves no money: it authorises the lines that payment.disbursed entries then pay.
    postings: [],
  };
}

/** One line paid: the provider's payable settled from each funder's share. `claims` are the line's own. */
export function disbursementEntry(
  program: ProgramOfEntry,
  batch: PaymentBatch,
  line: PaymentLine,
  claims: readonly PaymentClaim[],
  payment: { bankReference: string; paidOn: string },
  actor: Actor,
): EntryDraft {
  return {
    type: 'payment.disbursed',
    actor,
    data: {
      ...programData(program),
      batchId: batch.id,
      lineId: line.id,
      maker: batch.maker,
      checker: batch.checker!,
      providerUscc: line.providerUscc,
      amount: formatFen(line.amount),
      funders: fundersData(batch.funders),
      shares: sharesView(line.shares),
      redemptions: redemptionAmounts(claims),
      bankReference: payment.bankReference,
      paidOn: payment.paidOn,
    },
    postings: [
      { account: accounts.payable(line.providerUscc), amount: -line.amount },
      ...line.shares.map((share): PostingDraft => ({ account: accounts.disbursed(share.region), amount: share.amount })),
    ],
  };
}

export interface RecoveryOfEntry {
  id: string;
  providerUscc: string;
  amount: Fen;
  funders: readonly Funder[];
  shares: readonly Share[];
  items: readonly RecoveryItem[];
  bankReference: string;
  receivedOn: string;
}

/** Money paid back: each funder's disbursed account returns its share, the provider's payable rises by the amount. */
export function recoveryEntry(program: ProgramOfEntry, recovery: RecoveryOfEntry, actor: Actor): EntryDraft {
  return {
    type: 'payment.recovered',
    actor,
    data: {
      ...programData(program),
      recoveryId: recovery.id,
      providerUscc: recovery.providerUscc,
      amount: formatFen(recovery.amount),
      funders: fundersData(recovery.funders),
      shares: sharesView(recovery.shares),
      redemptions: recovery.items.map((item) => ({ redemptionId: item.redemptionId, owedBefore: formatFen(item.owedBefore), amount: formatFen(item.amount) })),
      bankReference: recovery.bankReference,
      receivedOn: recovery.receivedOn,
    },
    postings: [
      ...recovery.shares.map((share): PostingDraft => ({ account: accounts.disbursed(share.region), amount: -share.amount })),
      { account: accounts.payable(recovery.providerUscc), amount: recovery.amount },
    ],
  };
}
