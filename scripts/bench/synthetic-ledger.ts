// Builds a large, rule-consistent ledger quickly for benchmarks: the same entry shapes the service writes,
// computed with the service's own rules and hash, inserted in batches through kysely.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import { GENESIS_PREV_HASH, hashEntry } from '../../src/ledger/ledger.hash.js';
import type { EntryData, LedgerEntry, PostingDraft } from '../../src/ledger/ledger.types.js';
import { accounts, transfer } from '../../src/ledger/ledger.types.js';
import { bucketsOfKind, type Policy } from '../../src/rules/policy.js';
import { computeClawback, computeContractClawback } from '../../src/rules/clawback.js';
import { computeSubsidy } from '../../src/rules/subsidy.js';
import { isViolation } from '../../src/shared/violation.js';
import { formatFen } from '../../src/shared/money.js';
import { usccCheckCharacter } from '../../src/shared/uscc.js';

const issuer = { sub: 'bench-issuer', role: 'issuer' as const, region: '330100' };
const provider = { sub: 'bench-provider', role: 'provider' as const, org: '91330100799655058B' };
const uscc = (n: number) => {
  const first17 = `91330106${String(n).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

export async function buildSyntheticLedger(db: Db, policy: Policy, total: number, onProgress: (done: number) => void): Promise<void> {
  const bucket = policy.buckets.find((b) => b.name === 'compute.autonomous')!;
  const balances = new Map<string, bigint>();
  let rows: { entry: LedgerEntry; postings: PostingDraft[] }[] = [];
  let seq = 0;
  let prevHash = GENESIS_PREV_HASH;
  // Entries are dated after the executions they record (2025-06-02): the verifier refuses a future execution.
  const start = Date.parse('2025-06-03T00:00:00Z');
  // The limits a compute program is funded with when it asks for none: each bucket at the policy's rate.
  const limits = Object.fromEntries(bucketsOfKind(policy, 'compute').map((b) => [b.name, { rate: b.maxRate, annualCap: null }]));

  const flush = async () => {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 400) {
        const batch = rows.slice(i, i + 400);
        await trx
          .insertInto('ledger_entries')
          .values(
            batch.map(({ entry }) => ({
              seq: BigInt(entry.seq),
              type: entry.type,
              recorded_at: entry.recordedAt,
              actor: JSON.stringify(entry.actor),
              data: JSON.stringify(entry.data),
              prev_hash: entry.prevHash,
              hash: entry.hash,
              region: entry.data.region,
              program_id: entry.data.programId,
              kind: entry.data.kind,
            })),
          )
          .execute();
        await trx
          .insertInto('ledger_postings')
          .values(
            batch.flatMap(({ entry, postings }) =>
              postings.map((p, idx) => ({ entry_seq: BigInt(entry.seq), idx: BigInt(idx), account: p.account, amount_fen: p.amount })),
            ),
          )
          .execute();
      }
    });
    rows = [];
    onProgress(seq);
  };
  const append = async (type: LedgerEntry['type'], actor: LedgerEntry['actor'], data: EntryData, postings: PostingDraft[]) => {
    seq++;
    const unhashed = {
      seq,
      type,
      recordedAt: new Date(start + seq * 20).toISOString(),
      actor,
      data,
      postings: postings.map((p) => ({ account: p.account, amount: formatFen(p.amount) })),
      prevHash,
    };
    const entry = { ...unhashed, hash: hashEntry(unhashed) };
    prevHash = entry.hash;
    for (const p of postings) balances.set(p.account, (balances.get(p.account) ?? 0n) + p.amount);
    rows.push({ entry, postings });
    if (rows.length >= 10_000) await flush();
  };

  let programId = '';
  for (let voucherNo = 0; seq < total; voucherNo++) {
    if (voucherNo % 1000 === 0) {
      programId = `prg_${randomUUID()}`;
      const budget = 10n ** 14n;
      await append(
        'program.funded',
        issuer,
        { region: '330100', programId, kind: 'compute', name: 'bench', policyId: policy.id, policySha256: policy.sha256, budget: formatFen(budget), limits },
        transfer(accounts.appropriation('330100'), accounts.program(programId), budget),
      );
    }
    const voucherId = `vch_${randomUUID()}`;
    const beneficiary = uscc(voucherNo);
    const amount = 10n ** 11n;
    await append(
      'voucher.issued',
      issuer,
      {
        region: '330100',
        programId,
        kind: 'compute',
        voucherId,
        beneficiary: { uscc: beneficiary, name: '基准测试企业' },
        amount: formatFen(amount),
        expiresOn: '2027-12-31',
      },
      transfer(accounts.program(programId), accounts.voucher(voucherId), amount),
    );
    const contractId = `ctr_${randomUUID()}`;
    let net = 0n;
    let used = 0n;
    let netSubsidy = 0n;
    for (let i = 0; i < 200 && seq < total; i++) {
      const executed = BigInt(1000 + ((voucherNo * 7919 + i * 104729) % 9_000_000));
      const balance = balances.get(accounts.voucher(voucherId)) ?? 0n;
      const result = computeSubsidy({
        rate: bucket.maxRate,
        netExecutedBefore: net,
        executedAmount: executed,
        policyCap: { cap: null, usedBefore: used },
        programCap: { cap: null, usedBefore: used },
        voucherBalance: balance,
      });
      const redemptionId = `rdm_${randomUUID()}`;
      await append(
        'redemption.recorded',
        provider,
        {
          region: '330100',
          programId,
          kind: 'compute',
          redemptionId,
          voucherId,
          contract: {
            id: contractId,
            number: `HT-${voucherNo}`,
            providerUscc: provider.org,
            beneficiaryUscc: beneficiary,
            amount: formatFen(10n ** 14n),
            autonomous: true,
            signedOn: '2025-06-01',
          },
          invoiceNumber: `INV-${seq}`,
          executedAmount: formatFen(executed),
          executedOn: '2025-06-02',
          year: 2025,
          policyId: policy.id,
          policySha256: policy.sha256,
          bucket: bucket.name,
          policyRate: bucket.maxRate,
          rate: bucket.maxRate,
          netExecutedBefore: formatFen(net),
          netExecutedAfter: formatFen(result.netExecutedAfter),
          entitlement: formatFen(result.entitlement),
          annualCap: null,
          annualUsedBefore: formatFen(used),
          programAnnualCap: null,
          programUsedBefore: formatFen(used),
          voucherBalanceBefore: formatFen(balance),
          subsidy: formatFen(result.subsidy),
          limitedBy: result.limitedBy,
        },
        transfer(accounts.voucher(voucherId), accounts.payable(provider.org), result.subsidy),
      );
      net = result.netExecutedAfter;
      used += result.subsidy;
      netSubsidy += result.subsidy;
      if (i % 10 === 9 && seq < total) {
        const reversing = executed / 3n;
        const claw = computeClawback({ executedAmount: executed, granted: result.subsidy, reversedBefore: 0n, reversing });
        if (isViolation(claw)) throw new Error(claw.detail);
        const ceiling = computeContractClawback({
          proRata: claw.clawback,
          rate: bucket.maxRate,
          netSubsidyBefore: netSubsidy,
          netExecutedAfter: net - reversing,
        });
        await append(
          'redemption.reversed',
          provider,
          {
            region: '330100',
            programId,
            kind: 'compute',
            reversalId: `rev_${randomUUID()}`,
            redemptionId,
            voucherId,
            contractId,
            providerUscc: provider.org,
            beneficiaryUscc: beneficiary,
            reason: 'credit note',
            policyId: policy.id,
            bucket: bucket.name,
            year: 2025,
            redemptionExecutedAmount: formatFen(executed),
            redemptionSubsidy: formatFen(result.subsidy),
            reversedBefore: '0.00',
            executedAmount: formatFen(reversing),
            reversedAfter: formatFen(claw.reversedAfter),
            clawedBackBefore: formatFen(claw.clawedBackBefore),
            proRataClawback: formatFen(claw.clawback),
            rate: bucket.maxRate,
            contractNetSubsidyBefore: formatFen(netSubsidy),
            contractCeilingAfter: formatFen(ceiling.ceilingAfter),
            clawback: formatFen(ceiling.clawback),
            netExecutedBefore: formatFen(net),
            netExecutedAfter: formatFen(net - reversing),
            returnedTo: 'voucher',
          },
          transfer(accounts.payable(provider.org), accounts.voucher(voucherId), ceiling.clawback),
        );
        net -= reversing;
        used -= ceiling.clawback;
        netSubsidy = ceiling.netSubsidyAfter;
      }
    }
  }
  await flush();
  for (const [account, balance] of balances)
    await db
      .insertInto('account_balances')
      .values({ account, balance_fen: balance, last_seq: BigInt(seq) })
      .execute();
  // The head row moves with every append in the service; here once, at the end.
  await db
    .updateTable('ledger_head')
    .set({ seq: BigInt(seq), hash: prevHash })
    .where('id', '=', 1n)
    .execute();
}
