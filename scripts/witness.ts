// A witness another office runs on its own machine (decision 0027): it fetches the log's newest
// checkpoint, checks it against the last one it cosigned (RFC 9162 consistency), refuses loudly on a split view,
// and otherwise hands the log a C2SP tlog-cosignature. It trusts only the verifier's code, never the service's.
// Exit 0: cosigned (or nothing new); 1: refused (a split view, a rollback, a bad signature) or the log failed;
// 2: misuse.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyCheckpoint } from '../src/verifier/checkpoint.js';
import { verifyConsistency } from '../src/verifier/merkle.js';
import { type CheckpointNote, logKeysFromJwks, noteKeyId, readCheckpointBody, readNote, signedBy } from '../src/verifier/note.js';
import { command, runCli, UsageError } from './cli.js';

const program = command(
  'witness',
  'Witness a voucher-ledger: cosign its newest checkpoint if it is consistent with the last one this witness cosigned; refuse loudly (exit 1) on a split view.',
)
  .requiredOption('--url <url>', 'the ledger server, e.g. https://ledger.example.gov.cn')
  .requiredOption('--key <file>', "this witness's key file (PRIVATE+KEY+<name>+<key id>+<base64>); create it with --init NAME")
  .option('--state <dir>', 'where the last cosigned checkpoint and the pinned log keys are kept (required unless --init)')
  .option('--init <name>', 'create --key for a witness named NAME (e.g. audit.zj.gov.cn/witness) and print its verifier key for WITNESS_KEYS')
  .option('--token-file <file>', 'an auditor bearer token for the server (default: the WITNESS_TOKEN environment variable)')
  .addHelpText(
    'after',
    '\nExamples:\n  npm run witness -- --init audit.zj.gov.cn/witness --key witness.key --url https://ledger.example\n  npm run witness -- --url https://ledger.example --key witness.key --state ./witness-state',
  )
  .parse();
const options = program.opts<{ url: string; key: string; state?: string; init?: string; tokenFile?: string }>();

const COSIGNATURE = 0x04;
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

interface WitnessKey {
  name: string;
  seed: Buffer;
  publicKey: Buffer;
  id: Buffer;
}

const rawPublic = (seed: Buffer) =>
  Buffer.from(
    (createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' })).export({ format: 'jwk' }) as { x: string })
      .x,
    'base64url',
  );

function readWitnessKey(path: string): WitnessKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new UsageError(`cannot read the witness key ${path} (create one with --init NAME)`);
  }
  const match = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text);
  const material = match ? Buffer.from(match[3]!, 'base64') : Buffer.alloc(0);
  if (!match || material.length !== 33 || material[0] !== COSIGNATURE)
    throw new UsageError(`${path} is not a witness key PRIVATE+KEY+<name>+<key id>+<base64(0x04 ‖ seed)>`);
  const seed = material.subarray(1);
  const publicKey = rawPublic(seed);
  const id = noteKeyId(match[1]!, COSIGNATURE, publicKey);
  if (id.toString('hex') !== match[2]) throw new UsageError(`${path}: the key id does not match the name and key`);
  return { name: match[1]!, seed, publicKey, id };
}

const verifierKeyOf = (key: WitnessKey) =>
  `${key.name}+${key.id.toString('hex')}+${Buffer.concat([Buffer.from([COSIGNATURE]), key.publicKey]).toString('base64')}`;

function init(name: string, path: string): number {
  if (!/^[^\s+\u2014]+$/u.test(name)) throw new UsageError('--init NAME must not contain spaces, "+" or "—"');
  if (existsSync(path)) throw new UsageError(`${path} already exists: a witness keeps its key (remove it first to start a new witness)`);
  const seed = Buffer.from((generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as { d: string }).d, 'base64url');
  const publicKey = rawPublic(seed);
  const key = { name, seed, publicKey, id: noteKeyId(name, COSIGNATURE, publicKey) };
  writeFileSync(path, `PRIVATE+KEY+${name}+${key.id.toString('hex')}+${Buffer.concat([Buffer.from([COSIGNATURE]), seed]).toString('base64')}\n`, {
    mode: 0o600,
  });
  console.log(verifierKeyOf(key));
  return 0;
}

/** The C2SP Ed25519 cosignature line of a checkpoint body at `timestamp` (POSIX seconds). */
function cosign(key: WitnessKey, body: string, timestamp: bigint): string {
  const message = Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, key.seed]), format: 'der', type: 'pkcs8' });
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(timestamp);
  return `\u2014 ${key.name} ${Buffer.concat([key.id, stamp, sign(null, message, privateKey)]).toString('base64')}`;
}

/** Written to a temporary file and renamed, so that a crash never leaves half a state. */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

class Refusal extends Error {}

async function main(): Promise<number> {
  if (options.init) return init(options.init, options.key);
  if (!options.state) throw new UsageError("required option '--state <dir>' not specified");
  if (!URL.canParse(options.url)) throw new UsageError(`--url ${options.url} is not a URL`);
  if (!existsSync(options.state)) mkdirSync(options.state, { recursive: true });
  if (!statSync(options.state).isDirectory()) throw new UsageError(`--state ${options.state} is not a folder`);
  const key = readWitnessKey(options.key);
  const token = (options.tokenFile ? readFileSync(options.tokenFile, 'utf8') : (process.env['WITNESS_TOKEN'] ?? '')).trim();
  if (!token) throw new UsageError('give an auditor token with --token-file FILE or WITNESS_TOKEN');

  const get = async (path: string, auth = true) => {
    const res = await fetch(new URL(path, options.url), { headers: auth ? { authorization: `Bearer ${token}` } : {} });
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${body.slice(0, 300)}`);
    return JSON.parse(body) as Record<string, unknown>;
  };

  // The log's keys are pinned on the first run: a later checkpoint must be signed by one of them.
  const pinnedPath = join(options.state, 'log-jwks.json');
  const jwks = existsSync(pinnedPath)
    ? (JSON.parse(readFileSync(pinnedPath, 'utf8')) as { keys: [] })
    : ((await get('/.well-known/jwks.json', false)) as { keys: [] });
  const fetched = await get('/v1/ledger/checkpoint');
  if (typeof fetched['note'] !== 'string') throw new Refusal('the server published no checkpoint note');
  const note = readNote(fetched['note']);
  const current = readCheckpointBody(note.text);
  if (!logKeysFromJwks(jwks, current.origin).some((logKey) => signedBy(note, logKey)))
    throw new Refusal(`the checkpoint of ${current.origin} is not signed by the log's pinned key`);
  // The JWS is the same head for the log's other readers: it must verify against the same pinned keys and name
  // the same tree, or the operator is showing the JWS's readers one history and the witnesses another.
  if (typeof fetched['jws'] !== 'string') throw new Refusal('the server published no checkpoint JWS');
  const claim = await verifyCheckpoint(fetched['jws'], jwks).catch((err: unknown) => {
    throw new Refusal(`the checkpoint's JWS does not verify against the log's pinned key (${err instanceof Error ? err.message : String(err)})`);
  });
  const root = current.root.toString('hex');
  if (claim.treeSize === undefined || BigInt(claim.treeSize) !== current.size || claim.rootHash !== root)
    throw new Refusal(
      `the checkpoint's JWS (tree size ${String(claim.treeSize)}, root ${String(claim.rootHash)}) and its note (tree size ${current.size}, root ${root}) name different trees`,
    );
  if (!existsSync(pinnedPath)) writeAtomically(pinnedPath, `${JSON.stringify(jwks)}\n`);

  const statePath = join(options.state, 'checkpoint');
  const previousText = existsSync(statePath) ? readFileSync(statePath, 'utf8') : undefined;
  const previous: CheckpointNote | undefined = previousText === undefined ? undefined : readCheckpointBody(previousText);
  if (previous) {
    const evidence = (reason: string, proof?: unknown) => {
      const path = join(options.state!, `split-view-${Date.now()}.txt`);
      writeFileSync(
        path,
        `${reason}\n\nlast cosigned:\n${previousText}\nnow presented:\n${fetched['note']}\n${proof ? `proof:\n${JSON.stringify(proof)}\n` : ''}`,
      );
      return new Refusal(`SPLIT VIEW: ${reason}; nothing was cosigned; evidence in ${path}`);
    };
    if (previous.origin !== current.origin) throw evidence(`the log's origin changed from ${previous.origin} to ${current.origin}`);
    if (current.size < previous.size) throw evidence(`the tree shrank from ${previous.size} to ${current.size} entries (a rollback)`);
    if (current.size === previous.size && !current.root.equals(previous.root))
      throw evidence(`two different roots for tree size ${current.size}: ${previous.root.toString('hex')} cosigned, ${current.root.toString('hex')} now`);
    if (current.size > previous.size) {
      const proof = await get(`/v1/ledger/proofs/consistency?from=${previous.size}&to=${current.size}`);
      const path = Array.isArray(proof['path']) ? (proof['path'] as unknown[]).map((node) => Buffer.from(String(node), 'hex')) : [];
      if (!verifyConsistency(previous.size, current.size, previous.root, current.root, path))
        throw evidence(
          `the tree of ${current.size} entries does not extend the tree of ${previous.size} this witness cosigned: history was rewritten or forked`,
          proof,
        );
    }
  }

  const line = cosign(key, note.text, BigInt(Math.floor(Date.now() / 1000)));
  // The witness's view has advanced whether or not the log accepts the cosignature.
  writeAtomically(statePath, note.text);
  const res = await fetch(new URL('/v1/ledger/cosignatures', options.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ note: `${note.text}\n${line}\n` }),
  });
  if (res.status !== 201) throw new Error(`the log refused the cosignature: ${res.status} ${(await res.text()).slice(0, 300)}`);
  console.log(
    `cosigned ${current.origin} at tree size ${current.size}, root ${current.root.toString('hex')}${previous ? ` (consistent with ${previous.size})` : ' (first checkpoint seen)'}`,
  );
  return 0;
}

await runCli('witness', main);
