// `npm run verify -- receipt FILE` and `npm run verify -- consistency OLD NEW`: offline checks of what the
// transparency log hands out, with the verifier's own Merkle and note code. Exit 0: it holds; 1: it does not
// (a forged receipt, a rewritten or forked history); 2: it could not run.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkConsistency, checkReceipt, readWitnessKeys, type TransparencyOptions } from '../src/verifier/transparency.js';
import { command, integer, runCli, UsageError } from './cli.js';

interface Common {
  jwks: string;
  requireWitnesses?: number;
  witnessKeys?: string;
  json: boolean;
}

const read = (path: string, what: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} ${path}`);
  }
};

function commonOptions(program: Command): Command {
  return program
    .requiredOption('--jwks <file>', "the log's signing keys (GET /.well-known/jwks.json)")
    .option('--require-witnesses <k>', 'require cosignatures of at least K distinct witnesses of --witness-keys', integer(1, 100))
    .option('--witness-keys <file>', 'witness verifier keys (C2SP, one per line: name+keyid+base64)')
    .option('--json', 'print the result as JSON', false);
}

function transparencyOptions(options: Common): TransparencyOptions {
  if (options.requireWitnesses !== undefined && !options.witnessKeys) throw new UsageError('--require-witnesses needs --witness-keys FILE');
  let jwks: TransparencyOptions['jwks'];
  try {
    jwks = JSON.parse(read(options.jwks, 'the JWKS')) as TransparencyOptions['jwks'];
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`--jwks ${options.jwks} is not JSON`);
  }
  let witnessKeys: TransparencyOptions['witnessKeys'];
  try {
    witnessKeys = options.witnessKeys ? readWitnessKeys(read(options.witnessKeys, 'the witness keys')) : undefined;
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`--witness-keys: ${(err as Error).message}`);
  }
  return { jwks, ...(witnessKeys ? { witnessKeys } : {}), ...(options.requireWitnesses ? { requireWitnesses: options.requireWitnesses } : {}) };
}

function report(result: { ok: boolean; lines: string[] }, json: boolean): number {
  console.log(json ? JSON.stringify(result, null, 2) : [...result.lines, result.ok ? 'VERIFIED' : 'FAILED'].join('\n'));
  return result.ok ? 0 : 1;
}

export async function runTransparencyCommand(argv: string[]): Promise<never> {
  const [name, ...args] = argv;
  if (name === 'receipt') {
    const program = commonOptions(
      command(
        'verify',
        "Check a write's receipt offline: the log signed the checkpoint, and the entry (seq, hash) is in its tree. Exit 0 holds, 1 fails, 2 cannot run.",
      )
        .name('npm run verify -- receipt')
        .argument('<file>', "the write's 201 body (or its receipt member)"),
    )
      .addHelpText('after', '\nExample:\n  npm run verify -- receipt redemption.json --jwks jwks.json')
      .parse(args, { from: 'user' });
    const options = program.opts<Common>();
    return runCli('verify', async () => {
      const text = read(program.args[0]!, 'the receipt');
      try {
        JSON.parse(text);
      } catch {
        throw new UsageError(`${program.args[0]} is not JSON`);
      }
      return report(checkReceipt(text, transparencyOptions(options)), options.json);
    });
  }
  const program = commonOptions(
    command(
      'verify',
      'Check that an older checkpoint is a prefix of a newer one (RFC 9162 consistency): nothing before OLD was rewritten or dropped. Exit 0 holds, 1 fails, 2 cannot run.',
    )
      .name('npm run verify -- consistency')
      .argument('<old>', 'the older checkpoint (GET /v1/ledger/checkpoint JSON, a receipt, or the note text)')
      .argument('<new>', 'the newer checkpoint')
      .option('--proof <file>', 'GET /v1/ledger/proofs/consistency?from=OLD_SIZE&to=NEW_SIZE (not needed for equal sizes)'),
  )
    .addHelpText('after', '\nExample:\n  npm run verify -- consistency january.json march.json --proof proof.json --jwks jwks.json')
    .parse(args, { from: 'user' });
  const options = program.opts<Common & { proof?: string }>();
  return runCli('verify', async () => {
    const [older, newer] = [read(program.args[0]!, 'the old checkpoint'), read(program.args[1]!, 'the new checkpoint')];
    return report(checkConsistency(older, newer, options.proof ? read(options.proof, 'the proof') : undefined, transparencyOptions(options)), options.json);
  });
}
