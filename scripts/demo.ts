// Walks a running server through the whole flow and prints what happened.
// Usage: npm start (in another terminal), then npm run demo [-- --url http://127.0.0.1:3000]
import { createHash, randomInt } from 'node:crypto';
import type { TokenActor } from '../src/auth/actor.js';
import { mintDevToken } from '../src/auth/dev-token.js';
import { loadConfig } from '../src/config.js';
import { withDevJwtSecret } from '../src/dev-secrets.js';
import { nextDate, shanghaiDate } from '../src/shared/dates.js';
import { usccCheckCharacter } from '../src/shared/uscc.js';
import { command } from './cli.js';

const values = command('demo', 'Walk a running server (npm start, in another terminal) through the whole flow and print what happened.')
  .option('--url <url>', 'the server (default: http://127.0.0.1:PORT)')
  .parse()
  .opts<{ url?: string }>();
if (values.url !== undefined && !/^https?:\/\/[^/]+/.test(values.url)) {
  console.error(`npm run demo: --url ${values.url}: an http:// or https:// URL, such as http://127.0.0.1:3000`);
  process.exit(2);
}
// A step the server refuses ends the demo with one line naming it, not a stack trace.
process.on('uncaughtException', (err) => {
  console.error(`npm run demo: ${err.message}`);
  process.exit(1);
});
const { config } = withDevJwtSecret(loadConfig());
const base = (values.url ?? `http://127.0.0.1:${config.PORT}`).replace(/\/+$/, '');

const newUscc = (region: string) => {
  const first17 = `91${region}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
};
const provider = newUscc('330106');
const enterprise = newUscc('330108');
const run = Date.now().toString(36);

// A retried demo step replays instead of writing twice.
const idempotencyKey = (path: string, body: unknown) =>
  `demo-${run}-${createHash('sha256')
    .update(path + JSON.stringify(body))
    .digest('hex')
    .slice(0, 32)}`;

async function as(actor: TokenActor) {
  const token = await mintDevToken(config, actor, '15m');
  return async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...(method === 'POST' ? { 'Idempotency-Key': idempotencyKey(path, body) } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, any>;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${json.code}: ${json.detail}`);
    return json;
  };
}

const health = await fetch(`${base}/healthz`).catch(() => undefined);
if (!health?.ok) {
  console.error(`no server at ${base}: start one with \`npm start\` first`);
  process.exit(1);
}
const issuer = await as({ sub: 'demo-hangzhou-finance', role: 'issuer', region: '330100' });
const computeProvider = await as({ sub: 'demo-provider', role: 'provider', org: provider });
const auditor = await as({ sub: 'demo-provincial-audit', role: 'auditor', region: '330000' });
const year = Number(shanghaiDate(new Date()).slice(0, 4));
const executedOn = year > 2027 ? '2027-12-01' : shanghaiDate(new Date());

const program = await issuer('POST', '/v1/programs', { name: `杭州市算力券 demo ${run}`, kind: 'compute', budget: '250000000.00' });
console.log(`1. Hangzhou funded program ${program.id}: budget ${program.budget}, rates ${JSON.stringify(program.limits)}`);
const voucher = await issuer('POST', '/v1/vouchers', {
  programId: program.id,
  beneficiary: { uscc: enterprise, name: '杭州示例智能科技有限公司' },
  amount: '9000000.00',
  expiresOn: '2027-12-31',
});
console.log(
  `2. Issued voucher ${voucher.id} to ${enterprise}: ${voucher.amount}; program now has ${(await issuer('GET', `/v1/programs/${program.id}`)).available} available`,
);
const contract = await computeProvider('POST', '/v1/contracts', {
  number: `HT-${run}`,
  beneficiaryUscc: enterprise,
  kind: 'compute',
  autonomous: false,
  amount: '200000000.00',
  signedOn: executedOn,
});
console.log(`3. Provider ${provider} registered non-autonomous compute contract ${contract.number} for ${contract.amount}`);

const redemptions = [];
for (const [i, amount] of ['30000000.00', '60000000.00', '1000000.00'].entries()) {
  const r = await computeProvider('POST', '/v1/redemptions', {
    voucherId: voucher.id,
    contractId: contract.id,
    executedAmount: amount,
    executedOn,
    invoiceNumber: `FP-${run}-${i}`,
  });
  redemptions.push(r);
  console.log(
    `4.${i + 1} Executed ${amount} at rate ${r.rate}: entitled ${r.entitlement}, subsidy ${r.subsidy} (limitedBy ${r.limitedBy}), voucher left ${r.voucherBalance}`,
  );
}
const reversal = await computeProvider('POST', `/v1/redemptions/${redemptions[1]!.id}/reversals`, {
  executedAmount: '10000000.00',
  reason: 'credit note on part of the service',
});
console.log(`5. Reversed 10000000.00 of the second execution: clawed back ${reversal.clawback} to the ${reversal.returnedTo}`);
const usage = await auditor('GET', `/v1/beneficiaries/${enterprise}/usage?year=${executedOn.slice(0, 4)}`);
console.log(`6. ${enterprise} in ${usage.year}: ${JSON.stringify(usage.buckets['compute.non_autonomous'])}`);

const ledger = await auditor('GET', '/v1/ledger?limit=1000');
const mine = ledger.entries.filter((e: any) => e.data.programId === program.id);
console.log(`7. The ledger holds ${ledger.entries.length} entries visible to the provincial auditor; this demo's:`);
for (const e of mine)
  console.log(
    `   #${e.seq} ${e.type.padEnd(20)} ${e.postings.map((p: any) => `${p.account.split(':')[0]} ${p.amount}`).join(', ')}  hash ${e.hash.slice(0, 12)}…`,
  );

// Settlement (decision 0019): a program co-funded by Hangzhou and the province, a registered provider, a payment batch
// made by one officer and approved by another, the treasury's instruction file, and the bank statement that pays it.
const checker = await as({ sub: 'demo-hangzhou-finance-checker', role: 'issuer', region: '330100' });
const provincialFinance = await as({ sub: 'demo-zhejiang-finance', role: 'issuer', region: '330000' });
const coFunded = await issuer('POST', '/v1/programs', {
  name: `杭州市·浙江省共担算力券 demo ${run}`,
  kind: 'compute',
  budget: '1000000.00',
  funding: [
    { region: '330100', ratio: '0.6' },
    { region: '330000', ratio: '0.4' },
  ],
  requireRegisteredProviders: true,
});
await provincialFinance('POST', `/v1/programs/${coFunded.id}/funding/330000/confirm`);
const funded = await issuer('GET', `/v1/programs/${coFunded.id}`);
console.log(
  `8. Co-funded program ${coFunded.id}: ${funded.funding.map((f: any) => `${f.region} ${f.ratio} = ${f.amount} (${f.status})`).join(', ')}; available ${funded.available}`,
);
await issuer('POST', '/v1/providers', {
  uscc: provider,
  name: '杭州示例算力服务有限公司',
  bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州示例算力服务有限公司', accountNumber: '1202020209900012345' },
  services: [{ code: 'GPU-CLUSTER', name: '智算集群租用', kind: 'compute', autonomous: false }],
});
console.log(`9. Hangzhou registered provider ${provider} with its bank account and service GPU-CLUSTER`);
const coVoucher = await issuer('POST', '/v1/vouchers', {
  programId: coFunded.id,
  beneficiary: { uscc: enterprise, name: '杭州示例智能科技有限公司' },
  amount: '500000.00',
  expiresOn: '2027-12-31',
});
const coContract = await computeProvider('POST', '/v1/contracts', {
  number: `HT-${run}-CO`,
  beneficiaryUscc: enterprise,
  kind: 'compute',
  autonomous: false,
  amount: '100000.00',
  signedOn: executedOn,
  serviceCode: 'GPU-CLUSTER',
});
const claim = await computeProvider('POST', '/v1/redemptions', {
  voucherId: coVoucher.id,
  contractId: coContract.id,
  executedAmount: '1000.10',
  executedOn,
  invoiceNumber: `FP-${run}-CO`,
});
console.log(`10. Executed 1000.10 on the co-funded voucher: subsidy ${claim.subsidy}, now a claim of the provider`);

const batch = await issuer('POST', '/v1/payment-batches', { programId: coFunded.id, cutoff: executedOn });
const line = batch.lines[0];
console.log(
  `11. ${batch.maker} made payment batch ${batch.id} (${batch.status}): ${line.providerName} ${line.amount}, shares ${line.shares.map((s: any) => `${s.region} ${s.amount}`).join(' / ')}`,
);
try {
  await issuer('POST', `/v1/payment-batches/${batch.id}/approve`);
} catch (err) {
  console.log(`12. The maker approving its own batch is refused: ${(err as Error).message.split(':')[0]}`);
}
const approved = await checker('POST', `/v1/payment-batches/${batch.id}/approve`);
console.log(`13. ${approved.checker} approved it (ledger entry #${approved.approvalSeq}, payment.approved, no money moved)`);

const checkerToken = await mintDevToken(config, { sub: 'demo-hangzhou-finance-checker', role: 'issuer', region: '330100' }, '15m');
const instructions = await (
  await fetch(`${base}/v1/payment-batches/${batch.id}/instructions.csv`, { headers: { Authorization: `Bearer ${checkerToken}` } })
).text();
console.log('14. The instruction file for the treasury (UTF-8 with BOM):');
for (const row of instructions
  .replace(/^\uFEFF/, '')
  .trim()
  .split('\r\n'))
  console.log(`    ${row}`);
const statement = `reference,amount,paidOn,bankReference\r\n${line.id},${line.amount},${shanghaiDate(new Date())},ICBC-${run}\r\n`;
const reconciled = await fetch(`${base}/v1/payment-batches/${batch.id}/reconcile`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${checkerToken}`, 'Content-Type': 'text/csv', 'Idempotency-Key': `demo-${run}-reconcile` },
  body: statement,
}).then((res) => res.json() as Promise<Record<string, any>>);
console.log(
  `15. The bank statement reconciled: ${reconciled.matched.length} matched, ${reconciled.mismatched.length} mismatched, ${reconciled.unknown.length} unknown; batch ${reconciled.status}`,
);
const settled = await computeProvider('GET', `/v1/redemptions/${claim.id}`);
console.log(
  `16. The provider sees its redemption ${settled.settlement.status} on ${settled.settlement.paidOn} (bank reference ${settled.settlement.bankReference})`,
);
const payments = (await auditor('GET', `/v1/ledger?programId=${coFunded.id}&limit=1000`)).entries;
console.log('17. The co-funded program in the ledger:');
for (const e of payments)
  console.log(`   #${e.seq} ${e.type.padEnd(22)} ${e.postings.map((p: any) => `${p.account} ${p.amount}`).join(', ') || '(no postings)'}`);
const balances = await issuer('GET', `/v1/programs/${coFunded.id}/balances`);
const { funded: total, available: left, onVouchers, reserved, owedToProviders, paid } = balances.current;
console.log(
  `18. Where its money is (summed from those postings): funded ${total} = available ${left} + on vouchers ${onVouchers} + reserved ${reserved} + owed to providers ${owedToProviders} + paid ${paid}`,
);

// Applications (decision 0038): an enterprise applies with a document; two officers review it; the final approval
// opens the public notice on the Chinese working-day calendar (decision 0040); anyone reads it without a token.
const today = shanghaiDate(new Date());
const inDays = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));
const reviewerA = issuer;
const reviewerB = checker;
const applicant = await as({ sub: 'demo-enterprise', role: 'enterprise', org: enterprise });
const applicationRound = await issuer('POST', '/v1/programs', {
  name: `杭州市算力券（申报） demo ${run}`,
  kind: 'compute',
  budget: '2000000.00',
  issuance: 'application',
  applications: {
    opensOn: today,
    closesOn: inDays(30),
    noticeWorkingDays: 5,
    contact: { office: '杭州市经济和信息化局数字经济处', telephone: '0571-87001234' },
  },
});
console.log(
  `19. Program ${applicationRound.id} takes applications ${applicationRound.applications.opensOn} to ${applicationRound.applications.closesOn}; notices run ${applicationRound.applications.noticeWorkingDays} working days`,
);
const enterpriseToken = await mintDevToken(config, { sub: 'demo-enterprise', role: 'enterprise', org: enterprise }, '15m');
/** Uploads a one-page PDF named `name` (its bytes made unique by `marker`) with `token`: the stored document's metadata. */
async function uploadPdf(token: string, name: string, marker: string) {
  const bytes = Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${marker}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
  const res = await fetch(`${base}/v1/documents?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/pdf' },
    body: bytes,
  });
  const document = (await res.json()) as Record<string, any>;
  if (!res.ok) throw new Error(`POST /v1/documents → ${res.status} ${document.code}: ${document.detail}`);
  return document;
}
const uploaded = await uploadPdf(enterpriseToken, '营业执照.pdf', `营业执照 demo ${run}`);
console.log(`20. The enterprise uploaded ${uploaded.name} (${uploaded.contentType}, ${uploaded.size} bytes), sha256 ${String(uploaded.sha256).slice(0, 16)}…`);
const application = await applicant('POST', '/v1/applications', {
  programId: applicationRound.id,
  enterpriseName: '杭州示例智能科技有限公司',
  amount: '800000.00',
  purpose: '采购智能算力训练行业大模型',
  declarations: { noRelatedPartyContracts: true, noOtherPublicFunding: true, noDishonestyRecord: true },
  documents: [uploaded.sha256],
});
console.log(`21. It applied for ${application.amount}: application ${application.id} is ${application.status}`);
await reviewerA('POST', `/v1/applications/${application.id}/review`, { stage: 'first', decision: 'approve', reason: '材料齐全，符合申报条件' });
try {
  await reviewerA('POST', `/v1/applications/${application.id}/review`, { stage: 'final', decision: 'approve', reason: '同意' });
} catch (err) {
  console.log(
    `22. demo-hangzhou-finance approved the first stage; the same officer taking the final review is refused: ${(err as Error).message.split(':')[0]}`,
  );
}
const approvedApplication = await reviewerB('POST', `/v1/applications/${application.id}/review`, {
  stage: 'final',
  decision: 'approve',
  amount: '600000.00',
  reason: '按核定金额 60 万元支持',
}).catch((err: Error) => {
  if (!/calendar_year_unknown/.test(err.message)) throw err;
  console.log(`23. The final approval needs next year's holiday calendar, which is not on file yet: ${err.message}`);
  return undefined;
});
if (approvedApplication) {
  const notice = approvedApplication.notice;
  console.log(
    `23. demo-hangzhou-finance-checker approved ${approvedApplication.approvedAmount} on ${notice.decidedOn}: the public notice runs ${notice.startsOn} to ${notice.endsOn}`,
  );
  const published = (await fetch(`${base}/v1/public/notices?programId=${applicationRound.id}`).then((res) => res.json())) as {
    items: Record<string, any>[];
  };
  for (const item of published.items)
    console.log(
      `24. Public notice (no token): ${item.enterpriseName} ${item.uscc} ${item.amount} yuan, ${item.startsOn} to ${item.endsOn} (${item.state}); objections: ${item.contact}`,
    );
  try {
    await reviewerA('POST', `/v1/applications/${application.id}/grant`, { expiresOn: '2027-12-31' });
  } catch (err) {
    console.log(
      `25. Granting now is refused (${(err as Error).message.split(':')[0]!.trim()}): the voucher can be granted from ${nextDate(notice.endsOn)}, if no objection is open`,
    );
  }
}

// Claims (decision 0041): on a program whose redemptions are claims, the provider's redemption only reserves the
// subsidy; the enterprise confirms what it paid with its proof, the bureau reviews, and only then is it owed and paid.
const claimsProgram = await issuer('POST', '/v1/programs', {
  name: `杭州市算力券（核销审核） demo ${run}`,
  kind: 'compute',
  budget: '2000000.00',
  limits: { 'compute.autonomous': { rate: '0.30' } },
  claims: { beneficiaryConfirmation: true, review: true, confirmationDays: 10 },
});
const claimsVoucher = await issuer('POST', '/v1/vouchers', {
  programId: claimsProgram.id,
  beneficiary: { uscc: enterprise, name: '杭州示例智能科技有限公司' },
  amount: '500000.00',
  expiresOn: '2027-12-31',
});
const claimsContract = await computeProvider('POST', '/v1/contracts', {
  number: `HT-${run}-CLAIM`,
  beneficiaryUscc: enterprise,
  kind: 'compute',
  autonomous: true,
  amount: '5000000.00',
  signedOn: executedOn,
});
console.log(
  `26. Program ${claimsProgram.id} takes claims (confirmation in ${claimsProgram.claims.confirmationDays} days, then review); voucher ${claimsVoucher.id} holds ${claimsVoucher.amount}`,
);
const providerToken = await mintDevToken(config, { sub: 'demo-provider', role: 'provider', org: provider }, '15m');
const evidence = [
  (await uploadPdf(providerToken, '算力服务合同.pdf', `contract ${run}`)).sha256,
  (await uploadPdf(providerToken, '增值税专用发票.pdf', `invoice ${run}`)).sha256,
];
const submitted = await computeProvider('POST', '/v1/redemptions', {
  voucherId: claimsVoucher.id,
  contractId: claimsContract.id,
  executedAmount: '1000000.00',
  executedOn,
  invoiceNumber: `FP-${run}-CLAIM`,
  documents: evidence,
});
const pending = await computeProvider('GET', `/v1/redemptions/${submitted.id}`);
console.log(
  `27. The provider claimed 1000000.00 executed with the contract and the invoice: ${submitted.status}, ${submitted.subsidy} reserved (voucher left ${submitted.voucherBalance}), to confirm by ${pending.claim.confirmationDueOn}`,
);
const reservedNow = (await issuer('GET', `/v1/programs/${claimsProgram.id}/balances`)).current;
console.log(`28. Nothing is owed yet: reserved ${reservedNow.reserved}, owed to providers ${reservedNow.owedToProviders}`);
const proof = await uploadPdf(enterpriseToken, '银行付款回单.pdf', `payment ${run}`);
const confirmed = await applicant('POST', `/v1/redemptions/${submitted.id}/confirm`, { paidAmount: '800000.00', documents: [proof.sha256] });
console.log(`29. The enterprise confirmed it paid ${confirmed.claim.paidAmount}, with its bank receipt: ${confirmed.status}`);
const claimApproved = await checker('POST', `/v1/redemptions/${submitted.id}/review`, {
  decision: 'approve',
  reason: '合同、发票与付款回单一致，按实付金额核定',
});
console.log(
  `30. demo-hangzhou-finance-checker approved it on min(executed, paid) = ${claimApproved.claim.basis}: ${claimApproved.claim.approved} owed, ${claimApproved.claim.released} back to the voucher (now ${(await issuer('GET', `/v1/vouchers/${claimsVoucher.id}`)).balance})`,
);
const claimsBatch = await issuer('POST', '/v1/payment-batches', { programId: claimsProgram.id, cutoff: executedOn });
await checker('POST', `/v1/payment-batches/${claimsBatch.id}/approve`);
const claimsLine = claimsBatch.lines[0];
const paidClaim = await fetch(`${base}/v1/payment-batches/${claimsBatch.id}/reconcile`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${checkerToken}`, 'Content-Type': 'text/csv', 'Idempotency-Key': `demo-${run}-reconcile-claims` },
  body: `reference,amount,paidOn,bankReference\r\n${claimsLine.id},${claimsLine.amount},${shanghaiDate(new Date())},ICBC-${run}-C\r\n`,
}).then((res) => res.json() as Promise<Record<string, any>>);
console.log(`31. Batch ${claimsBatch.id} paid ${claimsLine.providerName} ${claimsLine.amount} once approved by the checker: batch ${paidClaim.status}`);
const history = (await applicant('GET', `/v1/redemptions/${submitted.id}`)).claim.history;
console.log(`32. The claim's history: ${history.map((event: any) => `${event.action} by ${event.actor.sub} (#${event.ledgerSeq})`).join(', ')}`);
const claimsBalances = (await issuer('GET', `/v1/programs/${claimsProgram.id}/balances`)).current;
console.log(
  `33. funded ${claimsBalances.funded} = available ${claimsBalances.available} + on vouchers ${claimsBalances.onVouchers} + reserved ${claimsBalances.reserved} + owed ${claimsBalances.owedToProviders} + paid ${claimsBalances.paid}`,
);

// Oversight (decision 0042): a listing bars an enterprise, a related-party group bars a contract, a spot check
// samples approved redemptions, and a program closes, returning what it holds to its funders.
const provincialCredit = await as({ sub: 'demo-zhejiang-credit', role: 'issuer', region: '330000' });
const dishonest = newUscc('330102');
const listing = await provincialCredit('POST', '/v1/watchlist', {
  uscc: dishonest,
  name: '杭州示例失信企业有限公司',
  reason: '拖欠税款，被列入严重失信主体名单',
  source: '信用中国 严重失信主体名单',
  listedOn: shanghaiDate(new Date()),
});
const refusedVoucher = await issuer('POST', '/v1/vouchers', {
  programId: program.id,
  beneficiary: { uscc: dishonest, name: '杭州示例失信企业有限公司' },
  amount: '1000.00',
  expiresOn: '2027-12-31',
}).catch((error: Error) => error.message);
console.log(`34. The province listed ${dishonest} (${listing.id}); a voucher for it in Hangzhou is refused: ${String(refusedVoucher)}`);
const affiliate = newUscc('330106');
const group = await issuer('POST', '/v1/related-parties', { usccs: [provider, affiliate], relation: 'shareholding', reason: '服务商持有该企业 51% 股权' });
const refusedContract = await computeProvider('POST', '/v1/contracts', {
  number: `HT-${run}-REL`,
  beneficiaryUscc: affiliate,
  kind: 'compute',
  autonomous: true,
  amount: '100000.00',
  signedOn: executedOn,
}).catch((error: Error) => error.message);
console.log(`35. Group ${group.id} (${group.relation}): a contract between its members is refused: ${String(refusedContract)}`);
const spotCheck = await auditor('POST', `/v1/programs/${program.id}/spot-checks`, { rate: '0.5', seed: `demo-${run}` });
const checked = await auditor('POST', `/v1/spot-checks/${spotCheck.id}/results`, {
  redemptionId: spotCheck.items[0].redemptionId,
  outcome: 'passed',
  reason: '合同、发票与付款凭证一致',
});
console.log(
  `36. The provincial audit office drew ${spotCheck.size} of ${spotCheck.population} approved redemptions of ${program.id} with seed "${spotCheck.seed}" (anyone can re-draw it): ${checked.summary.passed} passed so far`,
);
const closingDay = shanghaiDate(new Date());
const annual = await issuer('POST', '/v1/programs', {
  name: `杭州市算力券 ${year} 年度 demo ${run}`,
  kind: 'compute',
  budget: '100000.01',
  funding: [
    { region: '330100', ratio: '0.6' },
    { region: '330000', ratio: '0.4' },
  ],
  fiscalYear: year,
  closesOn: closingDay,
});
await provincialCredit('POST', `/v1/programs/${annual.id}/funding/330000/confirm`);
const unused = await issuer('POST', '/v1/vouchers', {
  programId: annual.id,
  beneficiary: { uscc: enterprise, name: '杭州示例智能科技有限公司' },
  amount: '5000.00',
  expiresOn: closingDay,
});
const closing = await issuer('POST', `/v1/programs/${annual.id}/close`);
console.log(
  `37. Program ${annual.id} closed on ${closing.closedOn}: voucher ${unused.id} returned ${closing.expiredVouchers[0].returned}, and ${closing.returned} went back to its funders: ${closing.funders.map((f: any) => `${f.region} ${f.returned}`).join(', ')}`,
);
const report = await issuer('GET', `/v1/reports/annual?year=${year}`);
const { totals } = report;
console.log(
  `38. Hangzhou's ${year} annual report, through seq ${report.throughSeq}: subsidy granted ${totals.subsidyGranted}, clawed back ${totals.clawedBack}, net ${totals.subsidyNet}; paid ${totals.paidNet} to ${totals.providers} provider(s) for ${totals.enterprises} enterprise(s); executed ${totals.executed} (leverage ${totals.leverage}), autonomous share of compute subsidy ${totals.autonomousShare}; the same as a spreadsheet: GET /v1/reports/annual?year=${year}&format=xlsx`,
);
