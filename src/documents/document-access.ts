// Who may read a document (decision 0039): a pure decision over the document's uploaders and citing records.
import type { TokenActor } from '../auth/actor.js';
import { covers } from '../shared/region.js';
import type { Readers, Uploader } from './documents.model.js';

/** An uploading actor as the document records it: an enterprise or a provider by its org, an issuer by its region. */
export function uploaderOf(actor: Extract<TokenActor, { role: Uploader['role'] }>): Uploader {
  return { role: actor.role, scope: actor.role === 'issuer' ? actor.region : actor.org, sub: actor.sub };
}

/**
 * Whether `actor` may read a document: an uploader of its bytes (the same role and org, or the same region for
 * an issuer: colleagues share their uploads, a subject alone is no boundary), or a reader of a record citing it:
 * the enterprise or provider whose org the record names, the issuer of its region, an auditor whose region
 * covers it.
 */
export function mayRead(actor: TokenActor, readers: Readers): boolean {
  const scope = actor.role === 'issuer' || actor.role === 'auditor' ? actor.region : actor.org;
  if (readers.uploaders.some((uploader) => uploader.role === actor.role && uploader.scope === scope)) return true;
  return readers.citations.some((citation) => {
    switch (actor.role) {
      case 'enterprise':
      case 'provider':
        return citation.org === actor.org;
      case 'issuer':
        return citation.region === actor.region;
      case 'auditor':
        return covers(actor.region, citation.region);
    }
  });
}
