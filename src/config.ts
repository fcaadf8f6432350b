import { z } from 'zod';
import { COSIGNATURE_ED25519, parseVerifierKey } from './transparency/note.js';
import { parseRetrySchedule } from './webhooks/rules/backoff.js';
import { parseAllowList } from './webhooks/rules/url-policy.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/**
 * A conservative estimate of a secret's entropy in bits: its length times the smaller of log2 of the alphabet
 * it draws from (hex, digits, letters, printable ASCII, or beyond) and the Shannon entropy of its characters as
 * they occur (with the Miller–Madow correction, since a short sample understates it). 32 random bytes in hex
 * or base64 (`openssl rand -hex 32`) always pass 128 bits; a run of one character or a few repeated do not.
 */
export function estimatedEntropyBits(secret: string): number {
  const chars = [...secret];
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of chars) counts.set(char, (counts.get(char) ?? 0) + 1);
  let shannon = 0;
  for (const count of counts.values()) shannon -= (count / chars.length) * Math.log2(count / chars.length);
  const alphabet = /^[0-9a-f]+$/i.test(secret)
    ? 16
    : (/[0-9]/.test(secret) ? 10 : 0) + (/[a-z]/.test(secret) ? 26 : 0) + (/[A-Z]/.test(secret) ? 26 : 0) + (/[^0-9a-zA-Z]/.test(secret) ? 33 : 0);
  const corrected = shannon + (counts.size - 1) / (2 * chars.length * Math.LN2);
  return chars.length * Math.min(Math.log2(Math.max(alphabet, 2)), corrected);
}

/** The shortest unit the secret repeats (`abcabcab` → 3), or undefined when no unit of at most half its length does. */
export function repeatedUnitLength(secret: string): number | undefined {
  for (let unit = 1; unit <= secret.length / 2; unit += 1) {
    let repeats = true;
    for (let index = unit; index < secret.length && repeats; index += 1) repeats = secret[index] === secret[index - unit];
    if (repeats) return unit;
  }
  return undefined;
}

/** Why a production HMAC secret is too weak to sign tokens that approve payments, or undefined. */
function weakSecretProblem(secret: string): string | undefined {
  const unit = repeatedUnitLength(secret);
  if (unit !== undefined) return `JWT_SECRET repeats a pattern of ${unit} character${unit === 1 ? '' : 's'}; generate one with: openssl rand -hex 32`;
  const bits = Math.floor(estimatedEntropyBits(secret));
  if (bits < 128) return `JWT_SECRET has about ${bits} bits of entropy, production needs at least 128; generate one with: openssl rand -hex 32`;
  return undefined;
}

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .min(1)
      .default('./data/voucher-ledger.db')
      // A URL of another scheme would otherwise become a SQLite file named after it (password and all).
      .refine((url) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^postgres(ql)?:\/\//i.test(url), {
        message: 'DATABASE_URL must be postgres://… (or postgresql://…), or a SQLite file path; other URL schemes are not supported',
      }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: optionalText.refine((s) => s === undefined || Buffer.byteLength(s) >= 32, 'JWT_SECRET must be at least 32 bytes'),
    JWT_PUBLIC_KEY: optionalText,
    JWT_PUBLIC_KEY_ALG: z.enum(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']).default('RS256'),
    JWT_JWKS_URL: optionalText.refine((s) => s === undefined || URL.canParse(s), 'JWT_JWKS_URL must be a URL'),
    JWT_JWKS_FILE: optionalText,
    // The longest a token may live (exp − now, and exp − iat): "24h", "90m", "30s" or a number of seconds.
    JWT_MAX_TTL: z
      .string()
      .regex(/^\d+[smhd]?$/, 'JWT_MAX_TTL must be a number of seconds, or a number followed by s, m, h or d')
      .default('24h')
      .transform((text) => Number.parseInt(text, 10) * ({ s: 1, m: 60, h: 3600, d: 86400 }[text.at(-1) ?? 's'] ?? 1)),
    // How far token times (exp, nbf, iat) may disagree with this server's clock.
    JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    LEDGER_SIGNING_KEY: optionalText,
    // Witnesses whose cosignatures POST /v1/ledger/cosignatures accepts and checkpoints publish: C2SP verifier keys
    // <name>+<key id>+<base64(0x04 ‖ Ed25519 public key)>, separated by commas or whitespace (decision 0027).
    WITNESS_KEYS: optionalText.transform((text, ctx) => {
      const keys = (text ?? '').split(/[\s,]+/).filter(Boolean);
      const names = new Set<string>();
      for (const key of keys) {
        try {
          const parsed = parseVerifierKey(key);
          if (parsed.type !== COSIGNATURE_ED25519) throw new Error(`${parsed.name} is a note key (type 1), not a cosignature key (type 4)`);
          if (names.has(parsed.name)) throw new Error(`witness ${parsed.name} is listed twice`);
          names.add(parsed.name);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `WITNESS_KEYS: ${(err as Error).message}` });
        }
      }
      return keys;
    }),
    // How long a write's outcome is replayed for its Idempotency-Key; `npm run sweep` removes older keys.
    // PostgreSQL connections per process (writes share one at a time; the rest serve reads and exports).
    DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    // How long a write waits for another process's write lock before it backs off and retries.
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2000),
    // Attempts per write (the first included) before contention is answered 503 busy.
    WRITE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    POLICY_DIR: optionalText,
    // Who may read GET /metrics: with a token, callers sending it as a bearer token; without one, anyone outside
    // production and no one in production (decision 0021).
    METRICS_TOKEN: optionalText.refine((s) => s === undefined || /^[\x21-\x7e]{16,256}$/.test(s), 'METRICS_TOKEN must be 16–256 visible ASCII characters'),
    // Browser origins allowed to call the API (CORS), comma-separated, or "*"; unset: no CORS headers at all.
    CORS_ORIGINS: optionalText.transform((text, ctx) => {
      if (text === undefined) return undefined;
      const origins = text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean);
      if (origins.length === 1 && origins[0] === '*') return ['*'];
      for (const origin of origins)
        if (!URL.canParse(origin) || new URL(origin).origin !== origin)
          ctx.addIssue({
            code: 'custom',
            message: `CORS_ORIGINS: ${origin} is not an origin like https://portal.example.gov.cn (scheme, host and port only), or "*" alone`,
          });
      return origins;
    }),
    // Failed authentications (401s) one client IP may make per window before it is answered 429; 0 turns it off.
    AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(20),
    AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    // Requests one client IP may make per minute to the public routes (/v1/public/…; decision 0045); 0 turns it off.
    PUBLIC_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(600),
    // Reverse proxies in front of the server whose X-Forwarded-For is believed (the client IP of the rate limit).
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Uploaded documents (decision 0039): the largest accepted, in bytes (20 MB by default), and the folder their
    // bytes are kept in on SQLite (default: documents/ beside the database file; unused on PostgreSQL).
    DOCUMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(1024 * 1024 * 1024)
      .default(20 * 1024 * 1024),
    DOCUMENT_DIR: optionalText,
    // Webhooks (decision 0044): how often the server looks for deliveries due, how long one attempt may take, the
    // delays in seconds before retries 1..n (the first attempt is at once; the last retry spent, a delivery has
    // failed), and the private hosts or CIDRs that production may deliver to despite being loopback or private.
    WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_RETRY_SCHEDULE: optionalText.transform((text, ctx) => {
      try {
        return parseRetrySchedule(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `WEBHOOK_RETRY_SCHEDULE: ${(err as Error).message}` });
        return [];
      }
    }),
    WEBHOOK_ALLOW_PRIVATE: optionalText.transform((text, ctx) => {
      try {
        return parseAllowList(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `WEBHOOK_ALLOW_PRIVATE: ${(err as Error).message}` });
        return parseAllowList(undefined);
      }
    }),
    // How long a webhook delivery that is over (delivered, failed or cancelled) is kept after its last activity, and
    // an event no delivery names any more after it was written, before `npm run sweep` removes them (decision 0047).
    WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  })
  .superRefine((env, ctx) => {
    const asymmetric = [env.JWT_PUBLIC_KEY, env.JWT_JWKS_URL, env.JWT_JWKS_FILE].filter(Boolean).length;
    if (asymmetric > 1) ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'set only one of JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_JWKS_FILE' });
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET && asymmetric === 0)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'production needs JWT_SECRET or an asymmetric key' });
    if (env.NODE_ENV === 'production' && env.JWT_SECRET && asymmetric === 0) {
      const problem = weakSecretProblem(env.JWT_SECRET);
      if (problem) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: problem });
    }
    // A JWKS is usually an identity provider's, whose keys sign tokens for every application it serves: without
    // an issuer and an audience to check, a token minted for another application would be accepted here.
    if (env.NODE_ENV === 'production' && (env.JWT_JWKS_URL || env.JWT_JWKS_FILE))
      for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const)
        if (!env[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `production with a JWKS needs ${name}, so that tokens the same keys sign for other applications are refused`,
          });
    if (env.NODE_ENV === 'production' && !env.LEDGER_SIGNING_KEY)
      ctx.addIssue({ code: 'custom', path: ['LEDGER_SIGNING_KEY'], message: 'production needs LEDGER_SIGNING_KEY' });
  });

export type Config = Readonly<z.infer<typeof configSchema>>;

/** Parses the environment once; a bad setting stops the process before it serves anything. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}
