import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Policy, policyFromFile, policyFileSchema } from './policy.js';

export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('./policies/', import.meta.url));

export interface PolicyRegistry {
  get(id: string): Policy | undefined;
  ids(): string[];
}

/** A policy a stored program or redemption names: it was loaded when they were written, so its absence is a bug. */
export function requirePolicy(policies: PolicyRegistry, policyId: string): Policy {
  const policy = policies.get(policyId);
  if (!policy) throw new Error(`policy ${policyId} is referenced but not loaded`);
  return policy;
}

/** Reads every policy file of a folder once at start-up; a malformed file stops the service. */
export function loadPolicies(dir: string = DEFAULT_POLICY_DIR): PolicyRegistry {
  const policies = new Map<string, Policy>();
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const bytes = readFileSync(join(dir, name));
    const parsed = policyFileSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) throw new Error(`policy file ${name} is invalid: ${parsed.error.message}`);
    if (policies.has(parsed.data.id)) throw new Error(`policy id ${parsed.data.id} is defined twice`);
    policies.set(parsed.data.id, policyFromFile(parsed.data, createHash('sha256').update(bytes).digest('hex')));
  }
  if (policies.size === 0) throw new Error(`no policy files in ${dir}`);
  return { get: (id) => policies.get(id), ids: () => [...policies.keys()] };
}
