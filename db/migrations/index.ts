import type { Migration } from 'kysely';
import type { Engine } from '../../src/db/engine.js';
import * as core from './0001_core.js';
import * as checkpoints from './0002_checkpoints.js';
import * as unitOfWork from './0003_unit_of_work.js';
import * as programFunding from './0004_program_funding.js';
import * as providerRegister from './0005_provider_register.js';
import * as settlement from './0006_settlement.js';
import * as readIndexes from './0007_read_indexes.js';
import * as merkleTree from './0008_merkle_tree.js';
import * as ledgerTypeIndex from './0009_ledger_type_index.js';
import * as consoleSignInCodes from './0010_console_sign_in_codes.js';
import * as ledgerHeadGuard from './0011_ledger_head_guard.js';
import * as documents from './0012_documents.js';
import * as applications from './0013_applications.js';
import * as claims from './0014_claims.js';
import * as oversight from './0015_oversight.js';
import * as webhooks from './0016_webhooks.js';
import * as publicLeafIndex from './0017_public_leaf_index.js';
import * as webhookLeases from './0018_webhook_leases.js';
import * as webhookSecretRotation from './0019_webhook_secret_rotation.js';

/** Listed statically so that migrations run the same under tsx, vitest and a compiled build; each gets its engine. */
export function migrationsFor(engine: Engine): Record<string, Migration> {
  const bind = (migration: { up: (db: never, engine: Engine) => Promise<void>; down: () => Promise<void> }): Migration => ({
    up: (db) => migration.up(db as never, engine),
    down: migration.down,
  });
  return {
    '0001_core': bind(core),
    '0002_checkpoints': bind(checkpoints),
    '0003_unit_of_work': bind(unitOfWork),
    '0004_program_funding': bind(programFunding),
    '0005_provider_register': bind(providerRegister),
    '0006_settlement': bind(settlement),
    '0007_read_indexes': bind(readIndexes),
    '0008_merkle_tree': bind(merkleTree),
    '0009_ledger_type_index': bind(ledgerTypeIndex),
    '0010_console_sign_in_codes': bind(consoleSignInCodes),
    '0011_ledger_head_guard': bind(ledgerHeadGuard),
    '0012_documents': bind(documents),
    '0013_applications': bind(applications),
    '0014_claims': bind(claims),
    '0015_oversight': bind(oversight),
    '0016_webhooks': bind(webhooks),
    '0017_public_leaf_index': bind(publicLeafIndex),
    '0018_webhook_leases': bind(webhookLeases),
    '0019_webhook_secret_rotation': bind(webhookSecretRotation),
  };
}
