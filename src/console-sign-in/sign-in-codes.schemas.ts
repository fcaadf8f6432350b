import { z } from 'zod';
import { SIGN_IN_CODE_PATTERN } from './sign-in-codes.crypto.js';

/** POST /v1/console/sessions: the code of a sign-in link's `#code=` fragment. */
export const signInCodeBody = z.strictObject({
  code: z.string({ error: 'must be the code of a sign-in link' }).regex(SIGN_IN_CODE_PATTERN, 'must be the code of a sign-in link'),
});

export const consoleSessionSchema = z.strictObject({
  token: z.string().meta({ description: 'the bearer JWT the link was printed for' }),
});

export type SignInCodeBody = z.infer<typeof signInCodeBody>;
