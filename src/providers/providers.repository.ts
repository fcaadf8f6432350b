import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ProviderRegistrationHistoryTable, ProviderRegistrationTable } from '../db/schema.providers.js';
import { coveredRange } from '../shared/region.js';
import type { HistoryAction, ProviderRegistration, ProviderStatus, RegisteredService, RegistrationChange } from './providers.model.js';

type RegistrationRow = Selectable<ProviderRegistrationTable>;
type HistoryRow = Selectable<ProviderRegistrationHistoryTable>;

export function registrationToDomain(row: RegistrationRow): ProviderRegistration {
  return {
    uscc: row.uscc,
    region: row.region,
    name: row.name,
    bankAccount: { bankName: row.bank_name, accountName: row.bank_account_name, accountNumber: row.bank_account_number },
    services: JSON.parse(row.services) as RegisteredService[],
    status: row.status as ProviderStatus,
    version: Number(row.version),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export function registrationToRow(registration: ProviderRegistration): RegistrationRow {
  return {
    uscc: registration.uscc,
    region: registration.region,
    name: registration.name,
    bank_name: registration.bankAccount.bankName,
    bank_account_name: registration.bankAccount.accountName,
    bank_account_number: registration.bankAccount.accountNumber,
    services: JSON.stringify(registration.services),
    status: registration.status,
    version: BigInt(registration.version),
    created_at: registration.createdAt,
    created_by: registration.createdBy,
    updated_at: registration.updatedAt,
    updated_by: registration.updatedBy,
  };
}

export const changeToDomain = (row: HistoryRow): RegistrationChange => ({
  uscc: row.uscc,
  region: row.region,
  version: Number(row.version),
  action: row.action as HistoryAction,
  actor: JSON.parse(row.actor) as RegistrationChange['actor'],
  recordedAt: row.recorded_at,
  reason: row.reason,
  registration: JSON.parse(row.registration) as ProviderRegistration,
});

/** The actor and the registration are stored as JSON, in the members' order as given: the history answers them as stored. */
export const changeToRow = (change: RegistrationChange): HistoryRow => ({
  uscc: change.uscc,
  region: change.region,
  version: BigInt(change.version),
  action: change.action,
  actor: JSON.stringify(change.actor),
  recorded_at: change.recordedAt,
  reason: change.reason,
  registration: JSON.stringify(change.registration),
});

/**
 * The regions that cover `region`, most specific first: a county, its prefecture, its province (GB/T 2260
 * codes, `shared/region.ts`).
 */
export function coveringRegions(region: string): string[] {
  const regions = [region, `${region.slice(0, 4)}00`, `${region.slice(0, 2)}0000`];
  return regions.filter((candidate, i) => regions.indexOf(candidate) === i);
}

export async function findRegistration(db: Kysely<Database>, uscc: string, region: string): Promise<ProviderRegistration | undefined> {
  const row = await db.selectFrom('provider_registrations').selectAll().where('uscc', '=', uscc).where('region', '=', region).executeTakeFirst();
  return row && registrationToDomain(row);
}

/** Every registration of a provider, in region order. */
export async function findRegistrations(db: Kysely<Database>, uscc: string): Promise<ProviderRegistration[]> {
  const rows = await db.selectFrom('provider_registrations').selectAll().where('uscc', '=', uscc).orderBy('region').execute();
  return rows.map(registrationToDomain);
}

/**
 * The registration of that provider whose region covers `region`, most specific region first (a county's,
 * else its prefecture's, else its province's), whatever its status: the nearest register speaks for the
 * region (decision 0018). One indexed read.
 */
export async function findRegistrationCovering(db: Kysely<Database>, uscc: string, region: string): Promise<ProviderRegistration | undefined> {
  const rows = await db.selectFrom('provider_registrations').selectAll().where('uscc', '=', uscc).where('region', 'in', coveringRegions(region)).execute();
  // The most specific region has the fewest trailing zeros, i.e. the greatest code among those that cover it.
  const nearest = rows.reduce<RegistrationRow | undefined>((best, row) => (best === undefined || row.region > best.region ? row : best), undefined);
  return nearest && registrationToDomain(nearest);
}

/** The registrations of every provider in the regions `region` covers (itself included), optionally of one status. */
export async function listRegistrations(db: Kysely<Database>, region: string, status?: ProviderStatus): Promise<ProviderRegistration[]> {
  const { from, to } = coveredRange(region);
  let query = db.selectFrom('provider_registrations').selectAll().where('region', '>=', from).where('region', '<=', to);
  if (status) query = query.where('status', '=', status);
  const rows = await query.orderBy('region').orderBy('uscc').execute();
  return rows.map(registrationToDomain);
}

export async function insertRegistration(db: Kysely<Database>, registration: ProviderRegistration): Promise<void> {
  await db.insertInto('provider_registrations').values(registrationToRow(registration)).execute();
}

/** Replaces the stored registration, only from the version it was read at (the caller holds the ledger lock; this is a guard). */
export async function updateRegistration(db: Kysely<Database>, registration: ProviderRegistration): Promise<void> {
  const { uscc, region, created_at: _createdAt, created_by: _createdBy, ...changes } = registrationToRow(registration);
  const result = await db
    .updateTable('provider_registrations')
    .set(changes)
    .where('uscc', '=', uscc)
    .where('region', '=', region)
    .where('version', '=', BigInt(registration.version - 1))
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new Error(`registration ${uscc}/${region} changed under the ledger lock`);
}

export async function appendChange(db: Kysely<Database>, change: RegistrationChange): Promise<void> {
  await db.insertInto('provider_registration_history').values(changeToRow(change)).execute();
}

/** A provider's changes in the given regions, oldest first per region. */
export async function findHistory(db: Kysely<Database>, uscc: string, regions: string[]): Promise<RegistrationChange[]> {
  if (regions.length === 0) return [];
  const rows = await db
    .selectFrom('provider_registration_history')
    .selectAll()
    .where('uscc', '=', uscc)
    .where('region', 'in', regions)
    .orderBy('region')
    .orderBy('version')
    .execute();
  return rows.map(changeToDomain);
}
