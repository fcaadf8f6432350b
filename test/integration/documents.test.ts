// POST /v1/documents and GET /v1/documents/:sha256(/meta) (decision 0039): evidence files kept once per content
// under their SHA-256, their type detected from the bytes (PDF, OFD, XML, JPEG, PNG) whatever the declared
// Content-Type, at most DOCUMENT_MAX_BYTES; a refused upload stores nothing, row or file. Read back by an
// uploader, or by whoever may read a record citing the document; 404 for anyone else. On both engines.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { citeDocuments, findDocuments } from '../../src/documents/documents.repository.js';
import { attachment } from '../../src/documents/documents.routes.js';
import { startsAsXml } from '../../src/documents/document-type.js';
import { BEIJING, ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE, OTHER_PROVIDER, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { buildTestApp, type Claims, mintToken, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';

const LIMIT = 1024 * 1024;

let t: TestApp;
let folder: string;
beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'documents-test-'));
  t = await buildTestApp({ env: { DOCUMENT_DIR: folder, DOCUMENT_MAX_BYTES: String(LIMIT) } });
});
afterEach(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

// ---- files, built here -----------------------------------------------------------------------------------

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const XML = Buffer.from('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- 电子发票 -->\n<发票><号码>25330000000012345678</号码></发票>\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(64, 1)]);
const HTML = Buffer.from('<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n');
const BARE_HTML = Buffer.from('<html><body>hi</body></html>');
const TEXT = Buffer.from('这不是文件，只是一段文字。\n');

/** A ZIP archive (stored, no compression) of these entries, as a ZIP tool writes it. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const OFD = zip({
  'OFD.xml': '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>',
  'Doc_0/Document.xml': '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
});
const ZIP_WITHOUT_OFD = zip({ 'Doc_0/OFD.xml': '<a/>', 'readme.txt': 'not an OFD' });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// ---- callers ---------------------------------------------------------------------------------------------

const ENTERPRISE_A: Claims = { sub: 'ent-a-clerk', role: 'enterprise', org: ENTERPRISE };
const ENTERPRISE_B: Claims = { sub: 'ent-b-clerk', role: 'enterprise', org: OTHER_ENTERPRISE };

async function upload(claims: Claims, bytes: Buffer, contentType = 'application/octet-stream', query = '') {
  return request(t.app)
    .post(`/v1/documents${query}`)
    .set('Authorization', `Bearer ${await mintToken(claims)}`)
    .set('Content-Type', contentType)
    .serialize((body: unknown) => body as string) // the bytes as they are, whatever the Content-Type (superagent would encode JSON)
    .send(bytes);
}

async function download(claims: Claims, hash: string, suffix = '') {
  return request(t.app)
    .get(`/v1/documents/${hash}${suffix}`)
    .set('Authorization', `Bearer ${await mintToken(claims)}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** Rows of the document tables and files under the document folder: what a refused upload must not change. */
async function stored() {
  const count = async (table: 'documents' | 'document_uploads' | 'document_citations') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const files = readdirSync(folder, { recursive: true }).map(String).sort();
  return { documents: await count('documents'), uploads: await count('document_uploads'), citations: await count('document_citations'), files };
}

// ---- uploads ---------------------------------------------------------------------------------------------

describe('POST /v1/documents', () => {
  it('stores a PDF, an OFD, an XML, a JPEG and a PNG under their SHA-256, with the type read from the bytes', async () => {
    const cases = [
      { bytes: PDF, type: 'application/pdf', ext: 'pdf' },
      { bytes: OFD, type: 'application/ofd', ext: 'ofd' },
      { bytes: XML, type: 'application/xml', ext: 'xml' },
      { bytes: JPEG, type: 'image/jpeg', ext: 'jpg' },
      { bytes: PNG, type: 'image/png', ext: 'png' },
    ];
    for (const { bytes, type, ext } of cases) {
      const res = await upload(ENTERPRISE_A, bytes);
      expect(res.status, type).toBe(201);
      expect(res.body).toEqual({ sha256: sha256(bytes), size: bytes.length, contentType: type, name: `${sha256(bytes).slice(0, 12)}.${ext}` });
    }
    expect((await stored()).documents).toBe(5);
    // On SQLite the bytes are files <folder>/<aa>/<sha256>; on PostgreSQL rows of document_contents.
    if (testEngine === 'sqlite')
      expect((await stored()).files.filter((f) => f.length > 3)).toEqual(cases.map((c) => join(sha256(c.bytes).slice(0, 2), sha256(c.bytes))).sort());
    else {
      expect((await stored()).files).toEqual([]);
      const row = await t.db.selectFrom('document_contents').selectAll().where('sha256', '=', sha256(PDF)).executeTakeFirstOrThrow();
      expect(Buffer.compare(row.content, PDF)).toBe(0);
    }
  });

  it('the same bytes again are the same document: 200 with the first name; a PDF declared image/png is a PDF', async () => {
    const first = await upload(ENTERPRISE_A, PDF, 'image/png', '?name=营业执照.pdf');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ contentType: 'application/pdf', name: '营业执照.pdf' });
    const again = await upload(ENTERPRISE_B, PDF, 'application/pdf', '?name=other.pdf');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await stored()).toMatchObject({ documents: 1, uploads: 2 });
    // A JSON Content-Type is not read as JSON either: the bytes decide.
    const declaredJson = await upload(ENTERPRISE_A, JPEG, 'application/json');
    expect(declaredJson.status).toBe(201);
    expect(declaredJson.body.contentType).toBe('image/jpeg');
  });

  it('refuses an EXE, a ZIP without a root OFD.xml, HTML, plain text and XML that is not UTF-8: 415, nothing stored', async () => {
    await upload(ENTERPRISE_A, PNG);
    const before = await stored();
    const refused = [
      EXE,
      ZIP_WITHOUT_OFD,
      HTML,
      BARE_HTML,
      TEXT,
      Buffer.from('<?xml version="1.0"?><a>\xff</a>', 'latin1'),
      Buffer.from('<?xml version="1.0"?><a>\u0001</a>'),
      Buffer.from('{"not":"a document"}'),
    ];
    for (const bytes of refused)
      for (const declared of ['application/pdf', 'application/octet-stream']) {
        const res = await upload(ENTERPRISE_A, bytes, declared);
        expect(res.status, bytes.toString('latin1').slice(0, 20)).toBe(415);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ code: 'unsupported_document_type', field: 'body' });
      }
    expect(await stored()).toEqual(before);
    const zh = await upload(ENTERPRISE_A, TEXT, 'text/plain');
    expect(zh.status).toBe(415);
    const chinese = await request(t.app)
      .post('/v1/documents')
      .set('Authorization', `Bearer ${await mintToken(ENTERPRISE_A)}`)
      .set('Accept-Language', 'zh-CN')
      .set('Content-Type', 'text/plain')
      .send(TEXT);
    expect(chinese.body).toMatchObject({ code: 'unsupported_document_type', title: '不支持的文件类型' });
  });

  it('refuses a body over DOCUMENT_MAX_BYTES with 413, declared or streamed, and an empty one with 400: nothing stored', async () => {
    const before = await stored();
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT + 1 - PDF.length, 0x20)]);
    expect(big.length).toBe(LIMIT + 1);
    const declared = await upload(ENTERPRISE_A, big, 'application/pdf');
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'document_too_large', field: 'body' });

    // Sent in chunks without a Content-Length: refused once it passes the limit.
    const streamed = request(t.app)
      .post('/v1/documents')
      .set('Authorization', `Bearer ${await mintToken(ENTERPRISE_A)}`)
      .set('Content-Type', 'application/pdf');
    for (let at = 0; at < big.length; at += 64 * 1024) streamed.write(big.subarray(at, at + 64 * 1024));
    const res = await streamed;
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('document_too_large');

    const multipart = await request(t.app)
      .post('/v1/documents')
      .set('Authorization', `Bearer ${await mintToken(ENTERPRISE_A)}`)
      .attach('file', big, { filename: 'big.pdf', contentType: 'application/pdf' });
    expect(multipart.status).toBe(413);

    const empty = await upload(ENTERPRISE_A, Buffer.alloc(0), 'application/pdf');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'validation_failed', field: 'body', errors: [{ field: 'body', message: 'must not be empty' }] });
    expect(await stored()).toEqual(before);

    // Exactly at the limit is accepted.
    const atLimit = await upload(ENTERPRISE_A, big.subarray(0, LIMIT), 'application/pdf');
    expect(atLimit.status).toBe(201);
    expect(atLimit.body).toMatchObject({ size: LIMIT, sha256: sha256(big.subarray(0, LIMIT)) });
  });

  it('takes multipart/form-data with one file part, named by its filename; anything but one file part is 400', async () => {
    const token = await mintToken(ENTERPRISE_A);
    const res = await request(t.app)
      .post('/v1/documents')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', OFD, { filename: '2025年度审计报告.ofd', contentType: 'application/zip' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ sha256: sha256(OFD), size: OFD.length, contentType: 'application/ofd', name: '2025年度审计报告.ofd' });
    const named = await request(t.app)
      .post('/v1/documents?name=invoice.png')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', PNG, { filename: 'scan.png', contentType: 'image/png' });
    expect(named.body).toMatchObject({ name: 'invoice.png', contentType: 'image/png' });

    const before = await stored();
    const two = await request(t.app)
      .post('/v1/documents')
      .set('Authorization', `Bearer ${token}`)
      .attach('a', PDF, { filename: 'a.pdf', contentType: 'application/pdf' })
      .attach('b', JPEG, { filename: 'b.jpg', contentType: 'image/jpeg' });
    expect(two.status).toBe(400);
    expect(two.body.errors).toEqual([{ field: 'body', message: 'must be multipart/form-data with exactly one file part' }]);
    const fieldOnly = await request(t.app).post('/v1/documents').set('Authorization', `Bearer ${token}`).field('note', 'no file');
    expect(fieldOnly.status).toBe(400);
    const badName = await request(t.app)
      .post('/v1/documents')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', PDF, { filename: ' leading-space.pdf', contentType: 'application/pdf' });
    expect(badName.status).toBe(400);
    expect(badName.body.field).toBe('filename');
    const noBoundary = await upload(ENTERPRISE_A, PDF, 'multipart/form-data');
    expect(noBoundary.body).toMatchObject({ status: 400, code: 'malformed_body' });
    expect(await stored()).toEqual(before);
  });

  it('is for enterprises, providers and issuers: an auditor is 403, no token 401; a bad name or query 400; a Content-Encoding 415', async () => {
    expect((await upload({ role: 'auditor', region: ZHEJIANG }, PDF)).body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await request(t.app).post('/v1/documents').set('Content-Type', 'application/pdf').send(PDF)).status).toBe(401);
    expect((await upload({ role: 'provider', org: PROVIDER }, PDF)).status).toBe(201);
    expect((await upload({ role: 'issuer', region: HANGZHOU }, PNG)).status).toBe(201);
    const badName = await upload(ENTERPRISE_A, JPEG, 'image/jpeg', '?name=a%2Fb.jpg');
    expect(badName.body).toMatchObject({ status: 400, field: 'name' });
    expect((await upload(ENTERPRISE_A, JPEG, 'image/jpeg', '?title=x')).body).toMatchObject({ status: 400, field: 'title' });
    const encoded = await request(t.app)
      .post('/v1/documents')
      .set('Authorization', `Bearer ${await mintToken(ENTERPRISE_A)}`)
      .set('Content-Encoding', 'gzip')
      .send(JPEG);
    expect(encoded.body).toMatchObject({ status: 415, code: 'unsupported_media_type', field: 'Content-Encoding' });
    expect(await stored()).toMatchObject({ documents: 2 });
  });
});

// ---- reads -----------------------------------------------------------------------------------------------

describe('GET /v1/documents/:sha256', () => {
  it('gives the uploader the identical bytes, as an attachment with its type; another enterprise gets 404 as for none', async () => {
    const { body } = await upload(ENTERPRISE_A, XML, 'text/plain', `?name=${encodeURIComponent('发票 "2025".xml')}`);
    const res = await download({ ...ENTERPRISE_A, sub: 'a-colleague' }, body.sha256);
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, XML)).toBe(0);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.headers['content-length']).toBe(String(XML.length));
    expect(res.headers['content-disposition']).toBe(`attachment; filename="__ _2025_.xml"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%222025%22.xml`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await download(ENTERPRISE_A, body.sha256, '/meta')).body.toString()).toBe(JSON.stringify(body));

    for (const stranger of [ENTERPRISE_B, { role: 'provider', org: ENTERPRISE }, { role: 'issuer', region: HANGZHOU }, { role: 'auditor', region: ZHEJIANG }]) {
      const refused = await download(stranger, body.sha256);
      expect(refused.status, JSON.stringify(stranger)).toBe(404);
      const none = await download(stranger, sha256(Buffer.from('never uploaded')));
      expect(JSON.parse(refused.body.toString())).toMatchObject({ code: 'not_found' });
      expect(JSON.parse(none.body.toString()).detail).toBe(JSON.parse(refused.body.toString()).detail);
      expect((await download(stranger, body.sha256, '/meta')).status).toBe(404);
    }
    expect((await download(ENTERPRISE_A, 'ABC')).status).toBe(400);
  });

  it('an issuer’s upload is its region’s; a provider’s is its org’s; one who uploaded the same bytes reads them too', async () => {
    const issued = (await upload({ sub: 'hz-1', role: 'issuer', region: HANGZHOU }, PDF)).body;
    expect((await download({ sub: 'hz-2', role: 'issuer', region: HANGZHOU }, issued.sha256)).status).toBe(200);
    expect((await download({ role: 'issuer', region: NINGBO }, issued.sha256)).status).toBe(404);
    const provided = (await upload({ role: 'provider', org: PROVIDER }, PNG)).body;
    expect((await download({ sub: 'other-staff', role: 'provider', org: PROVIDER }, provided.sha256)).status).toBe(200);
    expect((await download({ role: 'provider', org: OTHER_PROVIDER }, provided.sha256)).status).toBe(404);
    expect((await download(ENTERPRISE_B, provided.sha256)).status).toBe(404);
    expect((await upload(ENTERPRISE_B, PNG)).status).toBe(200);
    expect((await download(ENTERPRISE_B, provided.sha256)).status).toBe(200);
  });

  it('once cited, readable by the record’s org, its region’s issuer and the auditors covering it; no one else', async () => {
    const { body } = await upload(ENTERPRISE_A, JPEG);
    const [doc] = await t.db.transaction().execute(async (trx) => {
      await citeDocuments(trx, [body.sha256, body.sha256], { kind: 'application', id: 'app_1', region: HANGZHOU, org: ENTERPRISE });
      await citeDocuments(trx, [body.sha256], { kind: 'application', id: 'app_1', region: HANGZHOU, org: ENTERPRISE }); // again: nothing new
      await citeDocuments(trx, [body.sha256], { kind: 'claim', id: 'clm_1', region: NINGBO, org: PROVIDER });
      return findDocuments(trx, [body.sha256, sha256(Buffer.from('unknown')), body.sha256]);
    });
    expect(doc).toEqual(body);
    expect((await stored()).citations).toBe(2);
    const readers: Claims[] = [
      { role: 'issuer', region: HANGZHOU },
      { role: 'issuer', region: NINGBO },
      { role: 'auditor', region: ZHEJIANG },
      { role: 'auditor', region: HANGZHOU },
      { role: 'auditor', region: '330200' },
      { role: 'provider', org: PROVIDER },
    ];
    for (const reader of readers) {
      const res = await download(reader, body.sha256);
      expect(res.status, JSON.stringify(reader)).toBe(200);
      expect(Buffer.compare(res.body as Buffer, JPEG)).toBe(0);
    }
    const outsiders: Claims[] = [
      ENTERPRISE_B,
      { role: 'issuer', region: '330106' },
      { role: 'auditor', region: BEIJING },
      { role: 'auditor', region: '330106' },
      { role: 'provider', org: OTHER_PROVIDER },
    ];
    for (const outsider of outsiders) expect((await download(outsider, body.sha256)).status, JSON.stringify(outsider)).toBe(404);
    // An unknown hash cannot be cited: findDocuments first.
    await expect(
      t.db.transaction().execute((trx) => citeDocuments(trx, [sha256(Buffer.from('unknown'))], { kind: 'claim', id: 'c', region: HANGZHOU, org: PROVIDER })),
    ).rejects.toThrow();
  });
});

describe('the checks behind it', () => {
  it('XML opens with a declaration or an element, not a web page', () => {
    for (const text of ['<a/>', '  \r\n<ns:root x="1">', '<?xml version="1.0"?><!-- c --><?pi x?><!DOCTYPE invoice><invoice/>', '<发票/>'])
      expect(startsAsXml(Buffer.from(text)), text).toBe(true);
    for (const text of [
      '',
      'text <a/>',
      '<!-- c --><a/>',
      '<?xml-stylesheet href="a"?><a/>',
      '<3',
      '<HTML>',
      '<?xml version="1.0"?><!DOCTYPE html><html/>',
      '<x:html/>',
    ])
      expect(startsAsXml(Buffer.from(text)), text).toBe(false);
  });

  it('Content-Disposition keeps an ASCII fallback and the UTF-8 name', () => {
    expect(attachment('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachment("it's (1)*.pdf")).toBe(`attachment; filename="it's (1)*.pdf"; filename*=UTF-8''it%27s%20%281%29%2A.pdf`);
  });
});
