// The form of a fully digitalised e-invoice (全电发票) number (decision 0042): 20 digits, of which 1–2 are the last
// two digits of the year it was issued, 3–4 the tax bureau's code, 5 the channel and 6–20 the sequence.

/** The first year of fully digitalised e-invoices: the pilots began in December 2021. */
const FIRST_YEAR = 21;

/** Why a 20-digit invoice number cannot be a fully digitalised e-invoice issued by `today`, or null; other forms pass. */
export function invoiceNumberProblem(invoiceNumber: string, today: string): string | null {
  if (!/^[0-9]{20}$/.test(invoiceNumber)) return null;
  const year = Number(invoiceNumber.slice(0, 2));
  const thisYear = Number(today.slice(2, 4));
  if (year < FIRST_YEAR || year > thisYear)
    return `is a 20-digit fully digitalised e-invoice number whose first two digits (the year, ${invoiceNumber.slice(0, 2)}) must be from ${FIRST_YEAR} to ${String(thisYear).padStart(2, '0')}`;
  if (invoiceNumber.slice(2, 4) === '00') return "is a 20-digit fully digitalised e-invoice number whose digits 3–4 (the tax bureau's code) must not be 00";
  return null;
}
