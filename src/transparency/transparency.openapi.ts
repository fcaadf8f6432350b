import { z } from 'zod';
import type { Operation } from '../http/openapi.js';
import { seqParam } from '../ledger/ledger.schemas.js';
import {
  consistencyProofSchema,
  consistencyQuery,
  cosignatureBody,
  inclusionProofSchema,
  inclusionQuery,
  signedCheckpointSchema,
} from './transparency.schemas.js';

const tag = 'Transparency';

export const transparencyOperations: Operation[] = [
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    tag,
    summary: 'The checkpoint signing key (JWKS)',
    access: 'public',
    responses: { 200: { description: 'the Ed25519 public key', schema: z.object({ keys: z.array(z.object({ kid: z.string() }).catchall(z.unknown())) }) } },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/ledger/checkpoint',
    tag,
    summary: 'Sign the current head: a JWS and a C2SP tlog-checkpoint note, with the witness cosignatures received',
    access: { roles: ['auditor'], scope: 'any auditor' },
    responses: { 200: { description: 'the signed checkpoint', schema: signedCheckpointSchema } },
    problems: ['busy'],
  },
  {
    method: 'get',
    path: '/v1/ledger/checkpoints/:seq',
    tag,
    summary: 'The checkpoint issued at a seq (tree size)',
    access: { roles: ['auditor'], scope: 'any auditor' },
    params: z.object({ seq: seqParam }),
    responses: { 200: { description: 'the signed checkpoint', schema: signedCheckpointSchema } },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v1/ledger/proofs/inclusion',
    tag,
    summary: 'RFC 9162 inclusion proof of the entry `seq` in the tree of `treeSize` entries',
    access: {
      roles: ['auditor', 'issuer', 'provider'],
      scope: 'auditors and issuers: entries of the regions they cover; providers: their own entries (others are 404)',
    },
    query: inclusionQuery,
    responses: { 200: { description: 'the proof', schema: inclusionProofSchema } },
    problems: ['not_found', 'proof_range_invalid', 'beyond_tree_head'],
  },
  {
    method: 'get',
    path: '/v1/ledger/proofs/consistency',
    tag,
    summary: 'RFC 9162 consistency proof: the tree of `from` entries is a prefix of the tree of `to`',
    access: { roles: ['auditor', 'issuer', 'provider'], scope: 'any caller (hashes only)' },
    query: consistencyQuery,
    responses: { 200: { description: 'the proof', schema: consistencyProofSchema } },
    problems: ['proof_range_invalid', 'beyond_tree_head'],
  },
  {
    method: 'post',
    path: '/v1/ledger/cosignatures',
    tag,
    summary: "Hand in a witness's C2SP cosignature of a checkpoint this log signed",
    access: { roles: ['auditor'], scope: 'the signature line must verify with a key of WITNESS_KEYS' },
    body: cosignatureBody,
    write: true,
    responses: { 201: { description: 'the checkpoint as now published, with every cosignature the server has', schema: signedCheckpointSchema } },
    problems: ['checkpoint_unknown', 'cosignature_invalid'],
  },
];
