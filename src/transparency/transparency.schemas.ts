import { z } from 'zod';
import { seqParam } from '../ledger/ledger.schemas.js';

export const inclusionQuery = z.strictObject({ seq: seqParam, treeSize: seqParam });
export const consistencyQuery = z.strictObject({ from: seqParam, to: seqParam });

/** A cosigned checkpoint: the checkpoint body, a blank line, and the witness's signature line(s). */
export const cosignatureBody = z.strictObject({
  note: z.string({ error: 'must be the checkpoint note with the witness signature line' }).min(1).max(8192),
});

export type InclusionQuery = z.infer<typeof inclusionQuery>;
export type ConsistencyQuery = z.infer<typeof consistencyQuery>;
export type CosignatureBody = z.infer<typeof cosignatureBody>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** What every write that appends entries answers with besides its own view (decision 0026). */
export const receiptSchema = z
  .strictObject({
    seq: z.number().int().meta({ description: "the seq of the write's last entry (leaf seq − 1)" }),
    hash: hex64,
    checkpoint: z.string().meta({ description: 'the C2SP tlog-checkpoint signed note of the tree that holds it, with the cosignatures the server had' }),
    treeSize: z.number().int(),
    rootHash: hex64,
    inclusionPath: z.array(hex64).meta({ description: 'RFC 9162 inclusion proof, leaf to root' }),
  })
  .meta({ id: 'Receipt' });

const checkpointClaims = z.strictObject({
  ledgerId: z.string(),
  seq: z.number().int(),
  hash: hex64,
  issuedAt: z.string(),
  treeSize: z.number().int().optional(),
  rootHash: hex64.optional(),
});

export const signedCheckpointSchema = z
  .strictObject({
    jws: z.string(),
    kid: z.string(),
    checkpoint: checkpointClaims,
    note: z
      .string()
      .optional()
      .meta({ description: 'the C2SP signed note (origin, tree size, base64 root), the log signature line, then each witness cosignature' }),
    verifierKey: z.string().optional().meta({ description: 'the C2SP note verifier key of the log signature' }),
  })
  .meta({ id: 'SignedCheckpoint' });

export const inclusionProofSchema = z.strictObject({
  seq: z.number().int(),
  treeSize: z.number().int(),
  hash: hex64,
  leafHash: hex64,
  rootHash: hex64,
  path: z.array(hex64),
});
export const consistencyProofSchema = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  fromRootHash: hex64,
  toRootHash: hex64,
  path: z.array(hex64),
});
