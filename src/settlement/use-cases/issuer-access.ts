// What an issuer's authority over a settlement command depends on, loaded in the command's `authorize` step (before
// an Idempotency-Key's outcome is replayed): a batch or a program of the issuer's own region.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Program } from '../../programs/programs.model.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { DomainError } from '../../shared/errors.js';
import type { PaymentBatch } from '../settlement.model.js';
import { findBatch } from '../settlement.repository.js';
import type { Issuer } from './dependencies.js';

/** The batch, for an issuer of its region (the program's). */
export async function issuersBatch(trx: Kysely<Database>, id: string, actor: Issuer): Promise<PaymentBatch> {
  const batch = await findBatch(trx, id);
  if (!batch) throw DomainError.notFound('payment batch');
  if (batch.region !== actor.region) throw DomainError.forbidden(`payment batch ${id} belongs to region ${batch.region}, not ${actor.region}`);
  return batch;
}

/** The program named in the request body, for an issuer of its region. */
export async function issuersProgram(trx: Kysely<Database>, programId: string, actor: Issuer): Promise<Program> {
  const program = await findProgramById(trx, programId);
  if (!program) throw DomainError.notFound('program', 'programId');
  if (program.region !== actor.region) throw DomainError.forbidden(`program ${program.id} belongs to region ${program.region}, not ${actor.region}`);
  return program;
}
