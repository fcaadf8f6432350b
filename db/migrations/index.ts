import type { Migration } from 'kysely';
import * as core from './0001_core.js';
import * as checkpoints from './0002_checkpoints.js';

/** Listed statically so that migrations run the same under tsx, vitest and a compiled build. */
export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_checkpoints': checkpoints,
};
