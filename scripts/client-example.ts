// A provider's integration, start to finish, with the typed client (src/client): register a contract with a
// customer, check the customer's voucher, redeem an execution against it, read the redemption and where its
// payment stands, and page through the provider's redemptions. Copy it and replace the inputs.
//
//   VOUCHER_LEDGER_URL=http://127.0.0.1:3000 VOUCHER_LEDGER_TOKEN=<provider JWT> \
//   VOUCHER_ID=vch_… BENEFICIARY_USCC=91330100… npx tsx scripts/client-example.ts
import { randomUUID } from 'node:crypto';
import { createVoucherLedgerClient, ok, ProblemError } from '../src/client/index.js';

function input(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`client-example: set ${name}`);
    process.exit(2);
  }
  return value;
}

const api = createVoucherLedgerClient({ baseUrl: input('VOUCHER_LEDGER_URL'), token: input('VOUCHER_LEDGER_TOKEN') });
const voucherId = input('VOUCHER_ID');
const beneficiaryUscc = input('BENEFICIARY_USCC');
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

try {
  // 1. The contract with the customer (every write carries an Idempotency-Key: a random one unless set).
  const contract = ok(
    await api.POST('/v1/contracts', {
      body: { number: `HT-${randomUUID().slice(0, 8)}`, beneficiaryUscc, kind: 'compute', autonomous: true, amount: '1200000.00', signedOn: today },
    }),
  );
  console.log(`contract ${contract.id} registered: ${contract.number}, ${contract.amount} yuan`);

  // 2. The customer's voucher: a provider holding a contract against it reads its balance, status and expiry.
  const voucher = ok(await api.GET('/v1/vouchers/{id}', { params: { path: { id: voucherId } } }));
  console.log(`voucher ${voucher.id}: ${voucher.status}, balance ${voucher.balance}, expires ${voucher.expiresOn}`);

  // 3. Redeem an execution. Our own Idempotency-Key (e.g. derived from the invoice) makes a retry safe: the
  //    second send is answered with the first answer, Idempotent-Replayed: true, and nothing is written twice.
  const invoiceNumber = `INV-${randomUUID().slice(0, 8)}`;
  const redeem = () =>
    api.POST('/v1/redemptions', {
      params: { header: { 'Idempotency-Key': `redeem-${invoiceNumber}` } },
      body: { voucherId, contractId: contract.id, executedAmount: '100000.00', executedOn: today, invoiceNumber },
    });
  const redeemed = ok(await redeem());
  const retried = await redeem();
  console.log(`redemption ${redeemed.id}: subsidy ${redeemed.subsidy} at rate ${redeemed.rate}, voucher balance ${redeemed.voucherBalance}`);
  console.log(`retry answered the same redemption: ${ok(retried).id === redeemed.id} (replayed: ${retried.response.headers.get('idempotent-replayed')})`);

  // 4. The redemption as it stands now, and where its payment is.
  const redemption = ok(await api.GET('/v1/redemptions/{id}', { params: { path: { id: redeemed.id } } }));
  console.log(`settlement of ${redemption.id}: ${redemption.settlement.status}, net subsidy ${redemption.netSubsidy}`);

  // 5. Every redemption of the contract, page by page (nextCursor is null on the last page).
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = ok(await api.GET('/v1/redemptions', { params: { query: { contractId: contract.id, limit: 50, ...(cursor ? { cursor } : {}) } } }));
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  console.log(`redemptions on contract ${contract.number}: ${count}`);

  // 6. A refusal arrives as a ProblemError with its code and the field at fault.
  try {
    await api.POST('/v1/redemptions', { body: { voucherId, contractId: contract.id, executedAmount: '1.00', executedOn: today, invoiceNumber } });
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    console.log(`a second redemption with invoice ${invoiceNumber} is refused: ${err.status} ${err.code}`);
  }
} catch (err) {
  console.error(`client-example: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
