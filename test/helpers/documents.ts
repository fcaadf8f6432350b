// Minimal real files of the types the service accepts, built from their bytes, for upload tests.
import { createHash } from 'node:crypto';

/** A one-page PDF: header, catalog, pages, page, xref and trailer; `marker` makes each one distinct. */
export function minimalPdf(marker = 'voucher-ledger'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% ${marker}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
