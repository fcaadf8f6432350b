// What the claim journeys share (decision 0041): a program whose redemptions are claims, a voucher and a contract
// against it, the parties' claims, and claims submitted and confirmed through the API.
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { minimalPdf } from '../helpers/documents.js';
import type { Claims } from '../helpers/test-app.js';
import { uploadDocument } from './applications.js';
import type { Journey } from './browser.js';

export const OFFICER: Claims = { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU };
export const PROVIDER_OPS: Claims = { sub: 'provider-ops', role: 'provider', org: PROVIDER };
export const COMPANY: Claims = { sub: 'szkj-finance', role: 'enterprise', org: ENTERPRISE };

export const CLAIM_TERMS = { beneficiaryConfirmation: true, review: true, confirmationDays: 10 };

/** A compute program of the issuer's region whose redemptions the enterprise confirms and the issuer reviews. */
export function createClaimsProgram(journey: Journey, issuer: string, name = '杭州算力券 2026（核销审核）') {
  return journey.post<{ id: string; name: string }>(issuer, '/v1/programs', { name, kind: 'compute', budget: '10000000.00', claims: CLAIM_TERMS });
}

export function issueVoucher(journey: Journey, issuer: string, programId: string, amount = '2000000.00') {
  return journey.post<{ id: string }>(issuer, '/v1/vouchers', {
    programId,
    beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
    amount,
    expiresOn: '2027-12-31',
  });
}

/** An autonomous compute contract: 30% under zj-ai-2025, with no annual cap to cut the round numbers. */
export function createContract(journey: Journey, provider: string, number = 'HT-CLAIM-001') {
  return journey.post<{ id: string }>(provider, '/v1/contracts', {
    number,
    beneficiaryUscc: ENTERPRISE,
    kind: 'compute',
    autonomous: true,
    amount: '5000000.00',
    signedOn: '2026-01-05',
  });
}

export interface RedemptionAnswer {
  id: string;
  status: string;
  subsidy: string;
  claim: {
    executedAmount: string;
    reserved: string;
    reservedAtSubmission: string;
    paidAmount: string | null;
    basis: string | null;
    approved: string | null;
    released: string | null;
    confirmationDueOn: string | null;
    documents: { sha256: string; name: string; from: string }[];
    history: { action: string; reason: string | null }[];
  } | null;
}

/** A claim the provider submits through the API, citing its contract and invoice (two uploaded PDFs). */
export async function claimByApi(
  journey: Journey,
  provider: string,
  body: { voucherId: string; contractId: string; executedAmount: string; executedOn: string; invoiceNumber: string },
): Promise<RedemptionAnswer> {
  const contract = await uploadDocument(journey, provider, minimalPdf(`${body.invoiceNumber} contract`), `${body.invoiceNumber}-合同.pdf`);
  const invoice = await uploadDocument(journey, provider, minimalPdf(`${body.invoiceNumber} invoice`), `${body.invoiceNumber}-发票.pdf`);
  return journey.post<RedemptionAnswer>(provider, '/v1/redemptions', { ...body, documents: [contract.sha256, invoice.sha256] });
}

/** The enterprise confirms what it paid, with one proof of payment. */
export async function confirmByApi(journey: Journey, enterprise: string, id: string, paidAmount: string): Promise<RedemptionAnswer> {
  const proof = await uploadDocument(journey, enterprise, minimalPdf(`${id} proof of payment`), '银行回单.pdf');
  return journey.post<RedemptionAnswer>(enterprise, `/v1/redemptions/${id}/confirm`, { paidAmount, documents: [proof.sha256] });
}
