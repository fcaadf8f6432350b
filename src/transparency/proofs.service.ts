import type { TokenActor } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import { partiesOf } from '../ledger/entry-parties.repository.js';
import { maySeeEntry } from '../ledger/entry-visibility.js';
import { DomainError } from '../shared/errors.js';
import { leafHash } from './merkle.js';
import { entryScope, leafIndexOf } from './transparency.repository.js';
import { withinTree } from './transparency.service.js';
import type { ConsistencyQuery, InclusionQuery, PublicInclusionQuery } from './transparency.schemas.js';

const hex = (nodes: Buffer[]) => nodes.map((node) => node.toString('hex'));

export function createProofService(deps: Deps) {
  const log = deps.transparency;
  return {
    /** RFC 9162 §2.1.3: the path from the entry's leaf to the root of the tree of `treeSize` entries. */
    async inclusion(actor: TokenActor, query: InclusionQuery) {
      const size = withinTree(query.treeSize, await log.size(deps.db), 'treeSize');
      if (query.seq < 1n || query.seq > BigInt(size))
        throw new DomainError('proof_range_invalid', `seq must be from 1 to treeSize (${size})`, { field: 'seq' });
      const entry = await entryScope(deps.db, query.seq);
      // An entry outside the caller's scope is answered as if it did not exist.
      if (!entry || !(await maySeeEntry(actor, entry, partiesOf(deps.db)))) throw DomainError.notFound(`ledger entry ${query.seq}`, 'seq');
      const seq = Number(query.seq);
      const [root, path] = await Promise.all([log.root(deps.db, size), log.inclusion(deps.db, seq, size)]);
      return { seq, treeSize: size, hash: entry.hash, leafHash: leafHash(entry.hash).toString('hex'), rootHash: root.toString('hex'), path: hex(path) };
    },

    /**
     * The public inclusion proof (decision 0045): found by the leaf hash, which only one who holds the entry can
     * compute, and answered with hashes only.
     */
    async inclusionOfLeaf(query: PublicInclusionQuery) {
      const size = withinTree(query.treeSize, await log.size(deps.db), 'treeSize');
      const index = await leafIndexOf(deps.db, query.leafHash, size);
      if (index === undefined) throw DomainError.notFound(`a leaf ${query.leafHash} in the tree of ${size} entries`, 'leafHash');
      const [root, path] = await Promise.all([log.root(deps.db, size), log.inclusion(deps.db, index + 1, size)]);
      return { leafIndex: index, treeSize: size, leafHash: query.leafHash, rootHash: root.toString('hex'), path: hex(path) };
    },

    /** RFC 9162 §2.1.4: that the tree of `from` entries is a prefix of the tree of `to`. Only hashes: any role. */
    async consistency(query: ConsistencyQuery) {
      const to = withinTree(query.to, await log.size(deps.db), 'to');
      if (query.from < 1n || query.from > query.to) throw new DomainError('proof_range_invalid', `from must be from 1 to "to" (${to})`, { field: 'from' });
      const from = Number(query.from);
      const [fromRoot, toRoot, path] = await Promise.all([log.root(deps.db, from), log.root(deps.db, to), log.consistency(deps.db, from, to)]);
      return { from, to, fromRootHash: fromRoot.toString('hex'), toRootHash: toRoot.toString('hex'), path: hex(path) };
    },
  };
}
