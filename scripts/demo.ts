// Walks a running server through the whole flow and prints what happened.
// Usage: npm start (in another terminal), then npm run demo [-- --url http://127.0.0.1:3000]
import { createHash, randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { TokenActor } from '../src/auth/actor.js';
import { mintDevToken } from '../src/auth/dev-token.js';
import { loadConfig } from '../src/config.js';
import { withDevJwtSecret } from '../src/dev-secrets.js';
import { shanghaiDate } from '../src/shared/dates.js';
import { usccCheckCharacter } from '../src/shared/uscc.js';

const { values } = parseArgs({ options: { url: { type: 'string' } } });
const { config } = withDevJwtSecret(loadConfig());
const base = values.url ?? `http://127.0.0.1:${config.PORT}`;

const newUscc = (region: string) => {
  const first17 = `91${region}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
};
const provider = newUscc('330106');
const enterprise = newUscc('330108');
const run = Date.now().toString(36);

// A retried demo step replays instead of writing twice.
const idempotencyKey = (path: string, body: unknown) => `demo-${run}-${createHash('sha256').update(path + JSON.stringify(body)).digest('hex').slice(0, 32)}`;

async function as(actor: TokenActor) {
  const token = await mintDevToken(config, actor, '15m');
  return async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(method === 'POST' ? { 'Idempotency-Key': idempotencyKey(path, body) } : {}) },
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
console.log(`2. Issued voucher ${voucher.id} to ${enterprise}: ${voucher.amount}; program now has ${(await issuer('GET', `/v1/programs/${program.id}`)).available} available`);
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
  const r = await computeProvider('POST', '/v1/redemptions', { voucherId: voucher.id, contractId: contract.id, executedAmount: amount, executedOn, invoiceNumber: `FP-${run}-${i}` });
  redemptions.push(r);
  console.log(`4.${i + 1} Executed ${amount} at rate ${r.rate}: entitled ${r.entitlement}, subsidy ${r.subsidy} (limitedBy ${r.limitedBy}), voucher left ${r.voucherBalance}`);
}
const reversal = await computeProvider('POST', `/v1/redemptions/${redemptions[1]!.id}/reversals`, { executedAmount: '10000000.00', reason: 'credit note on part of the service' });
console.log(`5. Reversed 10000000.00 of the second execution: clawed back ${reversal.clawback} to the ${reversal.returnedTo}`);
const usage = await auditor('GET', `/v1/beneficiaries/${enterprise}/usage?year=${executedOn.slice(0, 4)}`);
console.log(`6. ${enterprise} in ${usage.year}: ${JSON.stringify(usage.buckets['compute.non_autonomous'])}`);

const ledger = await auditor('GET', '/v1/ledger?limit=1000');
const mine = ledger.entries.filter((e: any) => e.data.programId === program.id);
console.log(`7. The ledger holds ${ledger.entries.length} entries visible to the provincial auditor; this demo's:`);
for (const e of mine) console.log(`   #${e.seq} ${e.type.padEnd(20)} ${e.postings.map((p: any) => `${p.account.split(':')[0]} ${p.amount}`).join(', ')}  hash ${e.hash.slice(0, 12)}…`);
