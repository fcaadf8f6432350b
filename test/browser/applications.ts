// What the application journeys share: a minimal PDF, its upload, a program that takes applications, and dates.
import { createHash } from 'node:crypto';
import type { Journey } from './browser.js';

/** The bytes of a small, valid one-page PDF whose text is `title` (ASCII). */
export function pdfBytes(title: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    (() => {
      const stream = `BT /F1 18 Tf 72 760 Td (${title.replace(/[()\\]/g, '')}) Tj ET`;
      return `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
    })(),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** POST /v1/documents with the raw bytes, as an enterprise's browser would; the stored document. */
export async function uploadDocument(journey: Journey, token: string, bytes: Buffer, name: string) {
  const response = await fetch(`${journey.server.url}/v1/documents?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/pdf' },
    body: bytes,
  });
  if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
  return (await response.json()) as { sha256: string; name: string; size: number; contentType: string };
}

/** A calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export const CONTACT = { office: '杭州市经济和信息化局', telephone: '0571-87001234' };

/** A program of `issuer`'s region that takes applications from `today` − 1 to `today` + 20, noticed for 5 working days. */
export function createApplicationProgram(journey: Journey, issuer: string, today: string, name = '杭州算力券 2026（申报）', contact = CONTACT) {
  return journey.post<{ id: string; name: string }>(issuer, '/v1/programs', {
    name,
    kind: 'compute',
    budget: '10000000.00',
    issuance: 'application',
    applications: { opensOn: addDays(today, -1), closesOn: addDays(today, 20), noticeWorkingDays: 5, contact },
  });
}

export interface ApplicationAnswer {
  id: string;
  status: string;
  approvedAmount: string | null;
  notice: { startsOn: string; endsOn: string } | null;
}

/** An application of `enterprise` with one uploaded PDF, as the API takes it. */
export async function applyByApi(journey: Journey, enterprise: string, programId: string, name: string, amount: string): Promise<ApplicationAnswer> {
  const document = await uploadDocument(journey, enterprise, pdfBytes(`${name} contract`), `${name}-采购合同.pdf`);
  return journey.post<ApplicationAnswer>(enterprise, '/v1/applications', {
    programId,
    enterpriseName: name,
    amount,
    purpose: '采购国产算力用于大模型训练',
    declarations: { noRelatedPartyContracts: true, noOtherPublicFunding: true, noDishonestyRecord: true },
    documents: [document.sha256],
  });
}

/** First review by one officer, final review by another: the application is approved and its notice opens. */
export async function approveByApi(journey: Journey, first: string, final: string, id: string, amount?: string): Promise<ApplicationAnswer> {
  await journey.post(first, `/v1/applications/${id}/review`, { stage: 'first', decision: 'approve', reason: '材料齐全' });
  return journey.post<ApplicationAnswer>(final, `/v1/applications/${id}/review`, {
    stage: 'final',
    decision: 'approve',
    reason: '符合申报条件',
    ...(amount ? { amount } : {}),
  });
}
