import { z } from 'zod';
import { seqParam } from '../ledger/ledger.schemas.js';

export const inclusionQuery = z.strictObject({ seq: seqParam, treeSize: seqParam });
export const publicInclusionQuery = z.strictObject({
  leafHash: z
    .string({ error: 'must be a SHA-256: 64 lowercase hexadecimal digits' })
    .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hexadecimal digits')
    .meta({ description: "SHA-256(0x00 ‖ the 32 bytes of the entry's hash), lowercase hex" }),
  treeSize: seqParam,
});
export type PublicInclusionQuery = z.infer<typeof publicInclusionQuery>;
export const consistencyQuery = z.strictObject({ from: seqParam, to: seqParam });

/** A cosigned checkpoint: the checkpoint body, a blank line, and the witness's signature line(s). */
export const cosignatureBody = z.strictObject({
  note: z.string({ error: 'must be the checkpoint note with the witness signature line' }).min(1).max(8192),
});

export type InclusionQuery = z.infer<typeof inclusionQuery>;
export type ConsistencyQuery = z.infer<typeof consistencyQuery>;
export type CosignatureBody = z.infer<typeof cosignatureBody>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const nodeHash = hex64.meta({ description: 'a SHA-256 Merkle node hash, 64 lowercase hex characters' });
const pathSchema = z.array(nodeHash).meta({ description: 'RFC 9162 §2.1.3 / §2.1.4 proof nodes, in order from the leaf (or the old tree) towards the root' });
const rootHashSchema = hex64.meta({ description: 'RFC 9162 Merkle tree hash (MTH) of the first treeSize leaves, lowercase hex' });
const treeSizeSchema = z.number().int().meta({ description: 'number of leaves; leaf i is the entry of seq i + 1, so the tree of size n holds seqs 1…n' });
const entryHashSchema = hex64.meta({ description: "the ledger entry's own hash (SHA-256 of its canonical JSON without `hash`), lowercase hex" });
const leafHashSchema = hex64.meta({ description: 'the leaf: SHA-256(0x00 ‖ the 32 bytes of the entry hash), lowercase hex (RFC 9162 §2.1.1)' });
const noteSchema = z.string().meta({
  description:
    'a C2SP tlog-checkpoint signed note: the origin line, the tree size, the base64 root hash, a blank line, the log’s Ed25519 signature line (— name base64(keyid ‖ signature)), then each witness cosignature line (C2SP tlog-cosignature)',
});
const verifierKeySchema = z.string().meta({ description: 'the C2SP note verifier key of the log: name+keyid(hex)+base64(0x01 ‖ Ed25519 public key)' });

/** What every write that appends entries answers with besides its own view (decision 0026). */
export const receiptSchema = z
  .strictObject({
    seq: z.number().int().meta({ description: "the seq of the write's last entry (its leaf index is seq − 1)" }),
    hash: entryHashSchema,
    checkpoint: noteSchema,
    treeSize: treeSizeSchema,
    rootHash: rootHashSchema,
    inclusionPath: pathSchema,
    leafIndex: z.number().int().meta({ description: 'seq − 1' }),
    newer: z
      .strictObject({
        checkpoint: z.string().meta({ description: 'the public route of the latest checkpoint' }),
        consistency: z.string().meta({ description: 'an RFC 6570 template of the public consistency proof from this tree to a newer one' }),
      })
      .meta({ description: 'where anyone extends this receipt to a newer tree (decision 0045)' }),
  })
  .meta({ id: 'Receipt' });

const checkpointClaims = z.strictObject({
  ledgerId: z.string().meta({ description: 'this ledger’s id; the note’s origin is voucher-ledger/<ledgerId>' }),
  seq: z.number().int().meta({ description: 'the head seq signed (equal to treeSize)' }),
  hash: entryHashSchema,
  issuedAt: z.string().meta({ description: 'when it was signed (UTC ISO 8601)' }),
  treeSize: treeSizeSchema.optional(),
  rootHash: rootHashSchema.optional(),
});

export const signedCheckpointSchema = z
  .strictObject({
    jws: z
      .string()
      .meta({ description: 'a compact JWS (EdDSA, typ voucher-ledger-checkpoint+jws) over the claims below, verified with /.well-known/jwks.json' }),
    kid: z.string().meta({ description: 'the JWK id of the signing key' }),
    checkpoint: checkpointClaims,
    note: noteSchema.optional(),
    verifierKey: verifierKeySchema.optional(),
  })
  .meta({ id: 'SignedCheckpoint' });

export const inclusionProofSchema = z.strictObject({
  seq: z.number().int().meta({ description: 'the entry proved; its leaf index is seq − 1' }),
  treeSize: treeSizeSchema,
  hash: entryHashSchema,
  leafHash: leafHashSchema,
  rootHash: rootHashSchema,
  path: pathSchema,
});
export const consistencyProofSchema = z
  .strictObject({
    from: treeSizeSchema,
    to: treeSizeSchema,
    fromRootHash: rootHashSchema,
    toRootHash: rootHashSchema,
    path: pathSchema,
  })
  .meta({ id: 'ConsistencyProof' });

/** The public inclusion proof: by leaf hash, without the entry's seq or hash (decision 0045). */
export const publicInclusionProofSchema = z
  .strictObject({
    leafIndex: z.number().int().meta({ description: 'the leaf’s index in the tree (seq − 1)' }),
    treeSize: treeSizeSchema,
    leafHash: leafHashSchema,
    rootHash: rootHashSchema,
    path: pathSchema,
  })
  .meta({ id: 'PublicInclusionProof' });

export const publicCheckpointSchema = z
  .strictObject({
    treeSize: treeSizeSchema,
    rootHash: rootHashSchema,
    origin: z.string().nullable().meta({ description: 'the note’s first line: voucher-ledger/<ledgerId>' }),
    note: noteSchema,
    verifierKey: verifierKeySchema.nullable().meta({ description: 'the key of the note’s log signature, null when an earlier key signed it' }),
  })
  .meta({ id: 'PublicCheckpoint' });

export const logKeySchema = z
  .strictObject({
    verifierKey: verifierKeySchema,
    origin: z.string().meta({ description: 'the origin line every note of this log starts with' }),
    kid: z.string().meta({ description: 'the same key’s id in /.well-known/jwks.json' }),
  })
  .meta({ id: 'LogKey' });
