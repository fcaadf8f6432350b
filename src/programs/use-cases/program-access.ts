// Which programs a caller may read or change, and which funder's share an issuer may confirm (decision 0017).
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { assertRegionAccess } from '../../auth/auth.middleware.js';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../../shared/errors.js';
import type { FunderState, Program } from '../programs.model.js';
import { findFunderStates, findProgramById, isProgramFunder } from '../programs.repository.js';
import type { Issuer } from './dependencies.js';

/** A program the actor may read: an issuer of its region or of a co-funding region, an auditor covering it. */
export async function readableProgram(db: Kysely<Database>, id: string, actor: Actor): Promise<Program> {
  const program = await findProgramById(db, id);
  if (!program) throw DomainError.notFound('program');
  // Issuers of a co-funding region read the program they fund (they must, to confirm their share).
  const funds = actor.role === 'issuer' && actor.region !== program.region && (await isProgramFunder(db, program.id, actor.region));
  if (!funds) assertRegionAccess(actor, program.region);
  return program;
}

/** The program an issuer changes the budget of, in its own region. */
export async function ownProgram(trx: Kysely<Database>, id: string, actor: Actor): Promise<Program> {
  const program = await findProgramById(trx, id);
  if (!program) throw DomainError.notFound('program');
  assertRegionAccess(actor, program.region);
  return program;
}

/** The program and the funder `region` of it, for an issuer of that region confirming its share. */
export async function fundersShare(trx: Kysely<Database>, id: string, region: string, actor: Issuer): Promise<{ program: Program; funder: FunderState }> {
  const program = await findProgramById(trx, id);
  if (!program) throw DomainError.notFound('program');
  if (actor.region !== region) throw DomainError.forbidden(`only an issuer of region ${region} may confirm region ${region}'s share`);
  const funder = (await findFunderStates(trx, program.id)).find((f) => f.region === region);
  if (!funder) throw DomainError.notFound(`funder ${region} of program ${program.id}`, 'region');
  return { program, funder };
}
