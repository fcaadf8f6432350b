// Reading an upload's bytes off the request (decision 0039): the raw body, or the one file part of a
// multipart/form-data body (busboy), streamed to a temporary file while they are hashed, counted, checked as
// text and their first bytes kept; never held whole in memory. A body over the limit is refused as soon as it
// passes it, and the rest of it is read off and dropped, so that the answer reaches the client.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { DomainError } from '../shared/errors.js';
import { XmlTextCheck } from './document-type.js';
import type { ReceivedFile } from './documents.model.js';

/** The first bytes kept for the type checks that read a file's start (a ZIP signature, an XML prolog). */
const HEAD_BYTES = 64 * 1024;
/** What a multipart body may carry beyond its file: boundaries and part headers. */
const MULTIPART_OVERHEAD = 64 * 1024;

const tooLarge = (limit: number) => new DomainError('document_too_large', `a document may be at most ${limit} bytes`, { field: 'body' });
const onePart = () => DomainError.validation([{ field: 'body', message: 'must be multipart/form-data with exactly one file part' }]);
const malformed = (why: string) => new DomainError('malformed_body', why, { field: 'body' });

/** The bytes as they arrive, into a temporary file only this process may read. */
class Receiver {
  readonly path = join(tmpdir(), `voucher-ledger-upload-${randomUUID()}`);
  private readonly out: WriteStream;
  private readonly hash = createHash('sha256');
  private readonly text = new XmlTextCheck();
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private size = 0;

  constructor(private readonly limit: number) {
    this.out = createWriteStream(this.path, { flags: 'wx', mode: 0o600 });
    this.out.on('error', () => undefined); // surfaced by drained() and finish()
  }

  /** Takes a chunk (throwing document_too_large past the limit); false when the file asks to wait for drained(). */
  write(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.limit) throw tooLarge(this.limit);
    this.hash.update(chunk);
    this.text.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.head.push(part);
      this.headLength += part.length;
    }
    return this.out.write(chunk);
  }

  drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (err?: Error) => {
        this.out.off('drain', settle).off('error', settle).off('close', settle);
        if (err || this.out.destroyed) reject(err ?? new Error('the upload file was closed'));
        else resolve();
      };
      this.out.once('drain', settle).once('error', settle).once('close', settle);
    });
  }

  async finish(filename: string | undefined): Promise<ReceivedFile> {
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return {
      path: this.path,
      sha256: this.hash.digest('hex'),
      size: this.size,
      head: Buffer.concat(this.head),
      xmlText: this.text.finish(),
      filename,
    };
  }

  async discard(): Promise<void> {
    this.out.destroy();
    await rm(this.path, { force: true });
  }
}

/** Moves a stream's chunks into the receiver, with back-pressure; rejects on the receiver's refusal or an abort. */
function pump(source: Readable, receiver: Receiver): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => source.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onClose);
    const fail = (err: unknown) => {
      stop();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      let flowing: boolean;
      try {
        flowing = receiver.write(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      if (!flowing) {
        source.pause();
        receiver.drained().then(() => source.resume(), fail);
      }
    };
    const onEnd = () => {
      stop();
      resolve();
    };
    const onAbort = () => fail(malformed('the request body ended early'));
    const onClose = () => (source.readableEnded ? undefined : onAbort());
    source.on('data', onData).once('end', onEnd).once('error', onAbort).once('close', onClose);
  });
}

/** Reads off and drops what is left of the request body, so that an early answer is not cut short. */
function discardRest(req: Request): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    req
      .once('end', resolve)
      .once('close', resolve)
      .once('error', () => resolve());
    req.resume();
  });
}

/** The one file part of a multipart/form-data body into the receiver; its filename. */
function receiveMultipart(req: Request, receiver: Receiver, limit: number): Promise<string | undefined> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 0, fileSize: limit + 1, headerPairs: 20 } });
  } catch {
    throw malformed('the multipart/form-data Content-Type names no boundary');
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let total = 0;
    let file: Promise<void> | undefined;
    let filename: string | undefined;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.off('data', count);
      req.unpipe(parser);
      void discardRest(req).then(() => reject(err));
    };
    const count = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit + MULTIPART_OVERHEAD) fail(tooLarge(limit));
    };
    parser.on('file', (_field, stream, info) => {
      filename = info.filename;
      file = pump(stream, receiver);
      file.catch(fail);
    });
    parser.on('filesLimit', () => fail(onePart()));
    parser.on('fieldsLimit', () => fail(onePart()));
    parser.on('error', () => fail(malformed('the multipart/form-data body could not be read')));
    parser.on('close', () => {
      if (!file) fail(onePart());
      else
        file.then(() => {
          if (settled) return;
          settled = true;
          resolve(filename);
        }, fail);
    });
    req.on('data', count);
    req.pipe(parser);
  });
}

/** The raw body into the receiver; on a refusal the rest of the body is read off first. */
async function receiveRaw(req: Request, receiver: Receiver): Promise<void> {
  try {
    await pump(req, receiver);
  } catch (err) {
    await discardRest(req);
    throw err;
  }
}

export interface Upload {
  file: ReceivedFile;
  /** Removes the temporary file (once the document is kept, or refused). */
  discard(): Promise<void>;
}

/**
 * An upload's bytes, received: the raw body whatever its Content-Type, or the single file part of a
 * multipart/form-data body. Refused: a Content-Encoding (documents are sent as they are), more than `limit`
 * bytes (413 document_too_large, before reading when Content-Length says so), an empty body, a multipart body
 * with anything but one file part.
 */
export async function receiveUpload(req: Request, limit: number): Promise<Upload> {
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity')
    throw new DomainError('unsupported_media_type', 'send the document as it is, without a Content-Encoding', { field: 'Content-Encoding' });
  const multipart = typeof req.is('multipart/form-data') === 'string';
  if (Number(req.get('content-length') ?? 0) > limit + (multipart ? MULTIPART_OVERHEAD : 0)) throw tooLarge(limit);
  const receiver = new Receiver(limit);
  try {
    let filename: string | undefined;
    if (multipart) filename = await receiveMultipart(req, receiver, limit);
    else await receiveRaw(req, receiver);
    const file = await receiver.finish(filename);
    if (file.size === 0) throw DomainError.validation([{ field: 'body', message: 'must not be empty' }]);
    return { file, discard: () => receiver.discard() };
  } catch (err) {
    await receiver.discard();
    throw err;
  }
}
