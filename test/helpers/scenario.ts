import { expect } from 'vitest';
import { ENTERPRISE } from './fixtures.js';
import type { Client, TestApp } from './test-app.js';

let counter = 0;
const next = (prefix: string) => `${prefix}-${++counter}`;

async function created(response: Promise<{ status: number; body: Record<string, unknown> }> | PromiseLike<{ status: number; body: Record<string, unknown> }>) {
  const res = await response;
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Record<string, string> & { id: string };
}

/** Builders for the data a test needs, each going through the real HTTP API. */
export function scenario(t: TestApp) {
  return {
    program: (body: Record<string, unknown> = {}, as: Client = t.issuer) =>
      created(as.post('/v1/programs', { name: next('program'), kind: 'compute', budget: '100000000.00', ...body })),
    voucher: (programId: string, body: Record<string, unknown> = {}, as: Client = t.issuer) =>
      created(
        as.post('/v1/vouchers', {
          programId,
          beneficiary: { uscc: ENTERPRISE, name: '杭州示例智能科技有限公司' },
          amount: '50000000.00',
          expiresOn: '2027-12-31',
          ...body,
        }),
      ),
    contract: (body: Record<string, unknown> = {}, as: Client = t.provider) =>
      created(
        as.post('/v1/contracts', {
          number: next('HT'),
          beneficiaryUscc: ENTERPRISE,
          kind: 'compute',
          autonomous: false,
          amount: '900000000.00',
          signedOn: '2025-06-01',
          ...body,
        }),
      ),
    redeem: (voucherId: string, contractId: string, executedAmount: string, body: Record<string, unknown> = {}, as: Client = t.provider) =>
      as.post('/v1/redemptions', { voucherId, contractId, executedAmount, executedOn: '2025-12-01', invoiceNumber: next('INV'), ...body }),
    /** A compute program, a voucher on it and a contract, ready to redeem. */
    async ready(options: { program?: Record<string, unknown>; voucher?: Record<string, unknown>; contract?: Record<string, unknown> } = {}) {
      const program = await this.program(options.program);
      const voucher = await this.voucher(program.id, options.voucher);
      const contract = await this.contract(options.contract);
      return { program, voucher, contract };
    },
  };
}
