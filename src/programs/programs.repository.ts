import type { Kysely } from 'kysely';
import type { Database, ProgramRow } from '../db/schema.js';

export async function insertProgram(db: Kysely<Database>, row: ProgramRow): Promise<void> {
  await db.insertInto('programs').values(row).execute();
}

export async function findProgram(db: Kysely<Database>, id: string): Promise<ProgramRow | undefined> {
  return db.selectFrom('programs').selectAll().where('id', '=', id).executeTakeFirst();
}
