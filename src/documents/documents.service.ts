import type { Readable } from 'node:stream';
import type { TokenActor } from '../auth/actor.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { mayRead, uploaderOf } from './document-access.js';
import { createContentStore } from './document-store.js';
import { detectDocumentType } from './document-type.js';
import { defaultName, type DocumentMeta, metaOf, type ReceivedFile, type StoredDocument } from './documents.model.js';
import { findDocument, insertDocument, readersOf, recordUpload } from './documents.repository.js';

type UploadingActor = Extract<TokenActor, { role: 'enterprise' | 'provider' | 'issuer' }>;

const unsupported = () =>
  new DomainError('unsupported_document_type', 'the bytes are not a PDF, OFD, XML, JPEG or PNG document (the declared Content-Type does not decide)', {
    field: 'body',
  });

/** Absent and not readable by the caller look the same: a document's existence is not revealed. */
const notFound = () => DomainError.notFound('document', 'sha256');

/** Uploads and reads of evidence documents (decision 0039). */
export function createDocumentService(deps: { db: Db; config: Config; clock: Clock }) {
  const contents = createContentStore(deps.db, deps.config);

  /** The document, if `actor` may read it; not_found otherwise. */
  async function readable(actor: TokenActor, sha256: string): Promise<StoredDocument> {
    const document = await findDocument(deps.db, sha256);
    if (!document || !mayRead(actor, await readersOf(deps.db, sha256))) throw notFound();
    return document;
  }

  return {
    /**
     * Keeps the received bytes as a document, named `name` (else the default), unless they are kept already:
     * then the caller is noted as one more uploader and gets the stored document (its first name kept).
     */
    async upload(actor: UploadingActor, file: ReceivedFile, name: string | undefined): Promise<{ created: boolean; document: DocumentMeta }> {
      const uploader = uploaderOf(actor);
      const now = deps.clock.now().toISOString();
      const stored = await findDocument(deps.db, file.sha256);
      if (stored) {
        await recordUpload(deps.db, file.sha256, uploader, now);
        return { created: false, document: metaOf(stored) };
      }

      const contentType = await detectDocumentType(file);
      if (!contentType) throw unsupported();
      const document: StoredDocument = {
        sha256: file.sha256,
        size: file.size,
        contentType,
        name: name ?? defaultName(file.sha256, contentType),
        createdAt: now,
        uploadedBy: uploader,
      };

      const staged = await contents.stage(file.sha256, file.path, file.size);
      const created = await deps.db.transaction().execute(async (trx) => {
        const inserted = await insertDocument(trx, document);
        if (inserted) await staged.record(trx);
        await recordUpload(trx, file.sha256, uploader, now);
        return inserted;
      });
      // A concurrent upload of the same bytes inserted first: its document is the one.
      return { created, document: created ? metaOf(document) : metaOf((await findDocument(deps.db, file.sha256))!) };
    },

    async meta(actor: TokenActor, sha256: string): Promise<DocumentMeta> {
      return metaOf(await readable(actor, sha256));
    },

    async open(actor: TokenActor, sha256: string): Promise<{ document: DocumentMeta; content: Readable }> {
      const document = await readable(actor, sha256);
      return { document: metaOf(document), content: await contents.open(sha256) };
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
