import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorAs } from '../../auth/auth.middleware.js';
import type { Deps } from '../../deps.js';
import { commandContext, sendResult } from '../../http/command-context.js';
import { parseRequest } from '../../http/validate.js';
import { createCosignatureService } from '../cosignatures.service.js';
import { createProofService } from '../proofs.service.js';
import { consistencyQuery, cosignatureBody, inclusionQuery, publicInclusionQuery } from '../transparency.schemas.js';
import type { SignedCheckpoint } from '../transparency.service.js';
import { DomainError } from '../../shared/errors.js';
import { seqParam } from '../../ledger/ledger.schemas.js';
import { createCheckpointService } from './checkpoints.service.js';

export function checkpointRouters(deps: Deps): { publicRouter: Router; auditorRouter: Router } {
  const checkpoints = createCheckpointService(deps, deps.transparency);
  const proofs = createProofService(deps);
  const cosignatures = createCosignatureService(deps);
  const publicRouter = Router()
    .get('/.well-known/jwks.json', async (_req, res) => {
      res.set('Cache-Control', 'public, max-age=300').json(await checkpoints.jwks());
    })
    // Decision 0045: hashes, sizes and signatures only, to anyone, from any origin.
    .get('/v1/public/checkpoint', async (req, res) => {
      const signed = await checkpoints.latest();
      sendNote(req, publicly(res, 5), signed);
    })
    .get('/v1/public/checkpoints/:treeSize', async (req, res) => {
      const { treeSize } = parseRequest(z.object({ treeSize: seqParam }), req.params, 'params');
      const signed = await checkpoints.atSeq(treeSize);
      if (signed.note === undefined) throw DomainError.notFound(`a signed note at tree size ${treeSize}`, 'treeSize');
      sendNote(req, publicly(res, 60), signed);
    })
    .get('/v1/public/proofs/inclusion', async (req, res) => {
      const query = parseRequest(publicInclusionQuery, req.query, 'query');
      const proof = await proofs.inclusionOfLeaf(query);
      publicly(res, 86_400).json(proof);
    })
    .get('/v1/public/proofs/consistency', async (req, res) => {
      const query = parseRequest(consistencyQuery, req.query, 'query');
      const proof = await proofs.consistency(query);
      publicly(res, 86_400).json(proof);
    })
    .get('/v1/public/log-key', async (req, res) => {
      const key = await deps.transparency.logKey();
      publicly(res, 300).vary('Accept');
      if (req.accepts(['text/plain', 'application/json']) === 'application/json') res.json(key);
      else res.type('text/plain; charset=utf-8').send(`${key.verifierKey}\n`);
    });
  const auditorRouter = Router()
    .get('/v1/ledger/checkpoint', async (_req, res) => {
      actorAs(res, 'auditor');
      res.json(await checkpoints.issue());
    })
    .get('/v1/ledger/checkpoints/:seq', async (req, res) => {
      actorAs(res, 'auditor');
      const { seq } = parseRequest(z.object({ seq: seqParam }), req.params, 'params');
      res.json(await checkpoints.atSeq(seq));
    })
    .get('/v1/ledger/proofs/inclusion', async (req, res) => {
      const actor = actorAs(res, 'auditor', 'issuer', 'provider', 'enterprise');
      res.json(await proofs.inclusion(actor, parseRequest(inclusionQuery, req.query, 'query')));
    })
    .get('/v1/ledger/proofs/consistency', async (req, res) => {
      actorAs(res, 'auditor', 'issuer', 'provider');
      res.json(await proofs.consistency(parseRequest(consistencyQuery, req.query, 'query')));
    })
    .post('/v1/ledger/cosignatures', async (req, res) => {
      const actor = actorAs(res, 'auditor');
      const { note } = parseRequest(cosignatureBody, req.body, 'body');
      sendResult(res, await cosignatures.add(commandContext(req, actor), note));
    });
  return { publicRouter, auditorRouter };
}

/**
 * A public answer: cacheable for `seconds`, and readable by a page of any origin (it carries no credentials). Set
 * only once the answer is known, so that a problem (a tree size not reached yet) is never cached.
 */
function publicly(res: Response, seconds: number): Response {
  return res.set('Cache-Control', `public, max-age=${seconds}`).set('Access-Control-Allow-Origin', '*');
}

/** A checkpoint as C2SP text (the default), or with `Accept: application/json` its parts in JSON. */
function sendNote(req: Request, res: Response, signed: SignedCheckpoint): void {
  res.vary('Accept');
  const { treeSize, rootHash } = signed.checkpoint;
  if (req.accepts(['text/plain', 'application/json']) === 'application/json')
    res.json({ treeSize, rootHash, origin: signed.note?.split('\n', 1)[0] ?? null, note: signed.note, verifierKey: signed.verifierKey ?? null });
  else res.type('text/plain; charset=utf-8').send(signed.note);
}
