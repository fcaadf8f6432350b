// What a document is, decided from its bytes alone (decision 0039): the Content-Type a client declares is not
// read. PDF, JPEG and PNG by their signatures (file-type); OFD (GB/T 33190) as a ZIP archive whose central
// directory names an `OFD.xml` entry at its root; XML as UTF-8 text that opens with an XML declaration or an
// element (an HTML page is not XML here). Anything else is no document.
import { open } from 'node:fs/promises';
import type { DocumentType, ReceivedFile } from './documents.model.js';

const BY_SIGNATURE = new Set<string>(['application/pdf', 'image/jpeg', 'image/png']);

export async function detectDocumentType(file: ReceivedFile): Promise<DocumentType | undefined> {
  if (startsAsZip(file.head)) return (await zipHasRootEntry(file.path, OFD_ROOT)) ? 'application/ofd' : undefined;
  // Loaded with the first upload, not at start (decision 0046).
  const { fileTypeFromFile } = await import('file-type');
  const detected = await fileTypeFromFile(file.path);
  if (detected && BY_SIGNATURE.has(detected.mime)) return detected.mime as DocumentType;
  if (detected === undefined || detected.mime === 'application/xml') return file.xmlText && startsAsXml(file.head) ? 'application/xml' : undefined;
  return undefined;
}

// ---- XML -------------------------------------------------------------------------------------------------

/** Characters XML 1.0 does not allow in a document: C0 controls other than tab, line feed and carriage return. */
const NOT_XML_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/**
 * Fed every chunk of an upload as it arrives: whether the whole of it is valid UTF-8 (strict: an invalid or
 * truncated sequence fails) holding only characters XML allows.
 */
export class XmlTextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private valid = true;

  update(chunk: Uint8Array): void {
    if (!this.valid) return;
    try {
      if (NOT_XML_CHARACTER.test(this.decoder.decode(chunk, { stream: true }))) this.valid = false;
    } catch {
      this.valid = false;
    }
  }

  /** After the last chunk: a sequence cut off at the end fails too. */
  finish(): boolean {
    this.update(new Uint8Array(0));
    if (!this.valid) return false;
    try {
      this.decoder.decode();
    } catch {
      this.valid = false;
    }
    return this.valid;
  }
}

const WHITESPACE = /^[ \t\r\n]*/;
/** An XML name's first character and the rest (XML 1.0 fifth edition, letters beyond ASCII taken whole). */
const NAME = /^[A-Za-z_:\u00c0-\ufffd][A-Za-z0-9_:.\u00b7\u00c0-\ufffd-]*/;

/**
 * Whether text opens as an XML document: after an optional byte-order mark and whitespace, an XML declaration
 * (`<?xml` and a space or `?>`) or an element. After the declaration, comments, processing instructions and a
 * DOCTYPE may come before the root. A root (or DOCTYPE) named `html`, in any case and with any prefix, is a web
 * page, refused.
 */
export function startsAsXml(head: Buffer): boolean {
  let text = new TextDecoder('utf-8').decode(head);
  if (text.startsWith('\ufeff')) text = text.slice(1);
  let at = WHITESPACE.exec(text)![0].length;
  if (/^<\?xml(?:[ \t\r\n]|\?>)/.test(text.slice(at))) {
    const end = text.indexOf('?>', at);
    if (end < 0) return false;
    at = end + 2;
    for (;;) {
      at += WHITESPACE.exec(text.slice(at))![0].length;
      const rest = text.slice(at);
      if (rest.startsWith('<!--')) {
        const close = text.indexOf('-->', at + 4);
        if (close < 0) return false;
        at = close + 3;
      } else if (rest.startsWith('<?')) {
        const close = text.indexOf('?>', at + 2);
        if (close < 0) return false;
        at = close + 2;
      } else if (rest.startsWith('<!DOCTYPE')) {
        const name = NAME.exec(rest.slice('<!DOCTYPE'.length).replace(WHITESPACE, ''));
        return /^<!DOCTYPE[ \t\r\n]/.test(rest) && name !== null && !isHtml(name[0]);
      } else break;
    }
  }
  const element = /^<(.*)$/s.exec(text.slice(at));
  const name = element ? NAME.exec(element[1]!) : null;
  return name !== null && !isHtml(name[0]);
}

const isHtml = (name: string) => name.split(':').at(-1)!.toLowerCase() === 'html';

// ---- ZIP (OFD) -------------------------------------------------------------------------------------------

const OFD_ROOT = 'OFD.xml';
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** The end record is 22 bytes and its comment at most 65,535. */
const MAX_TAIL = 22 + 0xffff;

const startsAsZip = (head: Buffer) => head.length >= 4 && head.readUInt32LE(0) === LOCAL_HEADER;

/**
 * Whether a ZIP archive's central directory lists an entry named exactly `name` (no folder) whose local header
 * is where the directory says, with the same name. The end record must close the file (its comment reaching
 * the last byte); a ZIP64 archive, which a 20 MB document never needs, is not read.
 */
export async function zipHasRootEntry(path: string, name: string): Promise<boolean> {
  const wanted = Buffer.from(name, 'utf8');
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const read = async (position: number, length: number): Promise<Buffer | undefined> => {
      if (position < 0 || length < 0 || position + length > size) return undefined;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      return bytesRead === length ? buffer : undefined;
    };
    const tailLength = Math.min(size, MAX_TAIL);
    const tail = (await read(size - tailLength, tailLength))!;
    let end = -1;
    for (let i = tailLength - 22; i >= 0 && end < 0; i -= 1)
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY && i + 22 + tail.readUInt16LE(i + 20) === tailLength) end = i;
    if (end < 0) return false;
    const entries = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) return false;
    if (directoryOffset + directorySize > size - tailLength + end) return false;
    const directory = await read(directoryOffset, directorySize);
    if (!directory) return false;
    for (let at = 0, entry = 0; entry < entries; entry += 1) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER) return false;
      const nameLength = directory.readUInt16LE(at + 28);
      const next = at + 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
      if (next > directory.length) return false;
      if (directory.subarray(at + 46, at + 46 + nameLength).equals(wanted)) {
        const local = await read(directory.readUInt32LE(at + 42), 30 + wanted.length);
        return local !== undefined && local.readUInt32LE(0) === LOCAL_HEADER && local.readUInt16LE(26) === wanted.length && local.subarray(30).equals(wanted);
      }
      at = next;
    }
    return false;
  } finally {
    await file.close();
  }
}
