import type { Operation } from '../http/openapi.js';
import { consoleSessionSchema, signInCodeBody } from './sign-in-codes.schemas.js';

export const consoleSignInOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/console/sessions',
    tag: 'Console',
    summary: "Exchange a console sign-in link's one-time code for its token",
    description:
      'The code comes from the `#code=` fragment of a link printed by `npm run token -- --console`. It works once, for five minutes; a code used before, expired or unknown is `401 invalid_sign_in_code` and counts towards the address’s failed authentications. Answered `Cache-Control: no-store`.',
    access: 'public',
    body: signInCodeBody,
    responses: { 200: { description: 'the token', schema: consoleSessionSchema } },
    problems: ['invalid_sign_in_code', 'too_many_auth_failures'],
  },
];
