import { z } from 'zod';

/** A required, trimmed, bounded string field. */
export const requiredText = (max: number) =>
  z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A stored document named by the SHA-256 of its bytes (decision 0039). */
export const sha256Schema = z
  .string({ error: 'must be a document’s SHA-256, 64 lowercase hex digits' })
  .regex(/^[0-9a-f]{64}$/, 'must be a document’s SHA-256, 64 lowercase hex digits');
