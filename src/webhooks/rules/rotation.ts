// Rotating a subscription's secret without downtime (decision 0047). The new secret signs at once; the one it
// replaces keeps signing beside it for 24 hours, so that a receiver still verifying with the old one loses nothing
// while it installs the new one (Standard Webhooks lets `webhook-signature` carry several signatures, separated by
// spaces). Rotating again within those hours drops the older one: never more than two signatures.

/** How long the replaced secret keeps signing: a working day for someone to deploy the new one, and a night. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3_600_000;

export interface SigningSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
}

/** The secrets after rotating to `next` at `now`: the current one becomes the previous one; any older one is dropped. */
export function rotated(
  current: SigningSecrets,
  next: string,
  now: Date,
): { secret: string; previousSecret: string; previousSecretExpiresAt: string; secretRotatedAt: string } {
  return {
    secret: next,
    previousSecret: current.secret,
    previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS).toISOString(),
    secretRotatedAt: now.toISOString(),
  };
}

/** The secrets an attempt at `at` signs with: the current one first, then the previous one until it expires. */
export function secretsSigningAt(secrets: SigningSecrets, at: Date): string[] {
  const { previousSecret, previousSecretExpiresAt } = secrets;
  if (previousSecret === null || previousSecretExpiresAt === null || at.getTime() >= Date.parse(previousSecretExpiresAt)) return [secrets.secret];
  return [secrets.secret, previousSecret];
}
