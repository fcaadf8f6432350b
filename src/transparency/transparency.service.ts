import canonicalize from 'canonicalize';
import { CompactSign } from 'jose';
import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.js';
import type { Database } from '../db/schema.js';
import { findCheckpoint, recordCheckpoint } from './checkpoints/checkpoints.repository.js';
import type { SigningKey } from './checkpoints/signing-key.js';
import { ledgerHead, ledgerId } from '../ledger/ledger.repository.js';
import { DomainError } from '../shared/errors.js';
import { consistencyPath, inclusionPath, type NodeGetter, type NodeRef, type RangeMemo, nodeKey, rootOf, withStoredNodes } from './merkle.js';
import { readNodes } from './merkle.repository.js';
import { checkpointText, NOTE_ED25519, rawPublicKey, signNote, verifierKeyString } from './note.js';
import { cosignaturesOf } from './transparency.repository.js';

type Executor = Kysely<Database>;

export const CHECKPOINT_TYPE = 'voucher-ledger-checkpoint+jws';

/** What the JWS signs: the chain head and, since the Merkle tree (decision 0025), its head of the same entries. */
export interface Checkpoint {
  ledgerId: string;
  seq: number;
  hash: string;
  issuedAt: string;
  treeSize?: number;
  rootHash?: string;
}

export interface SignedCheckpoint {
  jws: string;
  kid: string;
  checkpoint: Checkpoint;
  /** The C2SP tlog-checkpoint signed note, with the witnesses' cosignatures the server has (absent before migration 0008). */
  note?: string;
  /** The note verifier key of the log's signature line (C2SP signed-note). */
  verifierKey?: string;
}

/** The checkpoint origin line: names this ledger (and no other database's) for every note verifier. */
export const originOf = (id: string) => `voucher-ledger/${id}`;

const claimsOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Checkpoint;

/** Committed hashes kept at most, of nodes and of ranges each: a few MB, the upper levels of any tree and every recent receipt's path. */
const COMMITTED_HASHES = 65_536;

const remember = (map: Map<string, Buffer>, key: string, hash: Buffer) => {
  if (map.size >= COMMITTED_HASHES) map.delete(map.keys().next().value!);
  map.set(key, hash);
};

/**
 * Committed Merkle hashes, remembered (decision 0036): a stored perfect subtree, and the hash of any range of
 * leaves, never change once the leaves are committed (the ledger and the tree are append-only), and every
 * receipt reads the same upper nodes and right-edge ranges again. Only the nodes not remembered are read.
 */
function committedTree(db: Executor) {
  const nodes = new Map<string, Buffer>();
  const ranges = new Map<string, Buffer>();
  const boundedRanges: RangeMemo = { get: (key) => ranges.get(key), set: (key, hash) => remember(ranges, key, hash) };
  const read = async (refs: NodeRef[]) => {
    const found = new Map<string, Buffer>();
    const missing = refs.filter((ref) => {
      const hash = nodes.get(nodeKey(ref.level, ref.index));
      if (hash) found.set(nodeKey(ref.level, ref.index), hash);
      return !hash;
    });
    for (const [key, hash] of await readNodes(db, missing)) {
      remember(nodes, key, hash);
      found.set(key, hash);
    }
    return found;
  };
  return <T>(compute: (get: NodeGetter) => T): Promise<T> => withStoredNodes(read, compute, boundedRanges);
}

/** The RFC 9162 tree over the ledger, the checkpoints that sign it, and the cosignatures published with them. */
export function createTransparencyLog(db: Executor, clock: Clock, key: Promise<SigningKey>) {
  const committed = committedTree(db);
  // Only what is read through the database itself is committed; a transaction's own nodes may yet roll back.
  const computed = <T>(executor: Executor, compute: (get: NodeGetter) => T): Promise<T> =>
    executor === db ? committed(compute) : withStoredNodes((refs) => readNodes(executor, refs), compute);

  async function noteVerifierKey(executor: Executor, signing: SigningKey): Promise<string> {
    return verifierKeyString(originOf(await ledgerId(executor)), NOTE_ED25519, rawPublicKey(signing.privateKey));
  }

  /** A stored checkpoint row as the API shows it, the note with every cosignature of its tree head appended. */
  async function published(
    executor: Executor,
    row: { jws: string; kid: string; note: string | null; root_hash: string | null; seq: bigint },
  ): Promise<SignedCheckpoint> {
    const checkpoint = claimsOf(row.jws);
    if (row.note === null || row.root_hash === null) return { jws: row.jws, kid: row.kid, checkpoint };
    const cosignatures = await cosignaturesOf(executor, row.seq, row.root_hash);
    const signing = await key;
    return {
      jws: row.jws,
      kid: row.kid,
      checkpoint,
      note: row.note + cosignatures.map((line) => `${line}\n`).join(''),
      ...(signing.kid === row.kid ? { verifierKey: await noteVerifierKey(executor, signing) } : {}),
    };
  }

  const log = {
    key,

    /** The note verifier key of the current signing key, its origin and JWK id (decision 0045). */
    async logKey(): Promise<{ verifierKey: string; origin: string; kid: string }> {
      const signing = await key;
      return { verifierKey: await noteVerifierKey(db, signing), origin: originOf(await ledgerId(db)), kid: signing.kid };
    },

    async root(executor: Executor, size: number): Promise<Buffer> {
      return computed(executor, (get) => rootOf(get, size));
    },

    async inclusion(executor: Executor, seq: number, size: number): Promise<Buffer[]> {
      return computed(executor, (get) => inclusionPath(get, seq - 1, size));
    },

    async consistency(executor: Executor, from: number, to: number): Promise<Buffer[]> {
      return computed(executor, (get) => consistencyPath(get, from, to));
    },

    /**
     * Signs the current head in the caller's transaction, unless a checkpoint with a note is stored for it
     * already: the JWS (now with treeSize and rootHash) and the C2SP note share one head and one key.
     */
    async seal(trx: Executor): Promise<SignedCheckpoint> {
      const signing = await key;
      const head = await ledgerHead(trx);
      const stored = await findCheckpoint(trx, head.seq, signing.kid);
      if (stored && stored.hash === head.hash && stored.note !== null) return published(trx, stored);
      const id = await ledgerId(trx);
      const size = Number(head.seq);
      const root = await log.root(trx, size);
      const checkpoint: Checkpoint = {
        ledgerId: id,
        seq: size,
        hash: head.hash,
        issuedAt: clock.now().toISOString(),
        treeSize: size,
        rootHash: root.toString('hex'),
      };
      const jws = await new CompactSign(new TextEncoder().encode(canonicalize(checkpoint)))
        .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: CHECKPOINT_TYPE })
        .sign(signing.privateKey);
      const note = signNote(checkpointText(originOf(id), size, root), originOf(id), signing.privateKey);
      const row = { seq: head.seq, hash: head.hash, issued_at: checkpoint.issuedAt, kid: signing.kid, jws, note, root_hash: checkpoint.rootHash! };
      await recordCheckpoint(trx, row);
      return published(trx, row);
    },

    /** The stored checkpoint of a tree size with a note, newest first; undefined when none was signed at that size. */
    async atSize(executor: Executor, size: bigint): Promise<SignedCheckpoint | undefined> {
      const row = await findCheckpoint(executor, size);
      return row ? published(executor, row) : undefined;
    },

    published,

    /** The tree size (the number of entries) now. */
    async size(executor: Executor): Promise<number> {
      return Number((await ledgerHead(executor)).seq);
    },
  };
  return log;
}

export type TransparencyLog = ReturnType<typeof createTransparencyLog>;

/** Refuses a tree size larger than the tree. */
export function withinTree(size: bigint, treeSize: number, field: string): number {
  if (size > BigInt(treeSize)) throw new DomainError('beyond_tree_head', `${field} ${size} is larger than the tree, which has ${treeSize} entries`, { field });
  return Number(size);
}
