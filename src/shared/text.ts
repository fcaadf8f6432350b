import { z } from 'zod';

/** A required, trimmed, bounded string field. */
export const requiredText = (max: number) =>
  z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
