import { z } from 'zod';
import { regionSchema } from '../shared/region.js';
import { usccSchema } from '../shared/uscc.js';

/**
 * The subject: at most 256 characters of visible text, no control or format characters, and no whitespace
 * around it. It is copied into every entry the caller writes and compared exactly where two people must differ
 * (the maker-checker rule), so `'alice '` must not pass as a second person beside `'alice'`.
 */
export const subjectSchema = z
  .string()
  .min(1)
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\s\p{C}](?:[^\p{C}\u2028\u2029]*[^\s\p{C}])?$/u, 'must be visible text without control characters or surrounding whitespace');

/**
 * Who is acting, as the verified token's claims say: the four roles of the service. An enterprise (the
 * beneficiary, by its USCC) applies for vouchers and reads its own; a provider redeems them.
 */
export const actorSchema = z.discriminatedUnion('role', [
  z.object({ sub: subjectSchema, role: z.literal('issuer'), region: regionSchema }),
  z.object({ sub: subjectSchema, role: z.literal('provider'), org: usccSchema }),
  z.object({ sub: subjectSchema, role: z.literal('auditor'), region: regionSchema }),
  z.object({ sub: subjectSchema, role: z.literal('enterprise'), org: usccSchema }),
]);

/** Scheduled jobs (the expiry sweep script) act as the system; no token can claim this role. */
export interface SystemActor {
  sub: string;
  role: 'system';
}

export type TokenActor = z.infer<typeof actorSchema>;
export type Actor = TokenActor | SystemActor;
export type Role = TokenActor['role'];
export type ActorOf<R extends Role> = Extract<TokenActor, { role: R }>;

/** The actor as recorded in ledger entries: only the claims that matter for the audit trail. */
export function recordedActor(actor: Actor): Actor {
  switch (actor.role) {
    case 'provider':
    case 'enterprise':
      return { sub: actor.sub, role: actor.role, org: actor.org };
    case 'system':
      return { sub: actor.sub, role: actor.role };
    default:
      return { sub: actor.sub, role: actor.role, region: actor.region };
  }
}

/** The caller's whole identity, as Idempotency-Keys are scoped: role, region or org, and sub. */
export function callerIdentity(actor: Actor): string {
  const scope = actor.role === 'provider' || actor.role === 'enterprise' ? actor.org : actor.role === 'system' ? '' : actor.region;
  return JSON.stringify([actor.role, scope, actor.sub]);
}
