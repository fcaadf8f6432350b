// `npm run verify -- receipt FILE` and `npm run verify -- consistency OLD NEW`: offline checks of what the
// transparency log hands out, with the verifier's own Merkle, note and entry-hash code, against the log key
// (GET /v1/public/log-key) or the JWKS. Exit 0: it holds; 1: it does not (a forged receipt, an altered entry,
// a rewritten or forked history); 2: it could not run.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkConsistency, checkReceipt, readLogKey, readWitnessKeys, type TransparencyOptions } from '../src/verifier/transparency.js';
import { command, integer, runCli, UsageError } from './cli.js';

interface Common {
  jwks?: string;
  logKey?: string;
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
    .option('--log-key <key|file>', "the log's note verifier key (GET /v1/public/log-key): the key itself or a file holding it")
    .option('--jwks <file>', "the log's signing keys (GET /.well-known/jwks.json); either this or --log-key, or both")
    .option('--require-witnesses <k>', 'require cosignatures of at least K distinct witnesses of --witness-keys', integer(1, 100))
    .option('--witness-keys <file>', 'witness verifier keys (C2SP, one per line: name+keyid+base64)')
    .option('--json', 'print the result as JSON', false);
}

function transparencyOptions(options: Common): TransparencyOptions {
  if (options.requireWitnesses !== undefined && !options.witnessKeys) throw new UsageError('--require-witnesses needs --witness-keys FILE');
  if (options.logKey === undefined && options.jwks === undefined)
    throw new UsageError('give the log key: --log-key KEY (GET /v1/public/log-key) or --jwks FILE (GET /.well-known/jwks.json)');
  let jwks: TransparencyOptions['jwks'];
  if (options.jwks !== undefined)
    try {
      jwks = JSON.parse(read(options.jwks, 'the JWKS')) as TransparencyOptions['jwks'];
    } catch (err) {
      throw err instanceof UsageError ? err : new UsageError(`--jwks ${options.jwks} is not JSON`);
    }
  let logKey: TransparencyOptions['logKey'];
  try {
    logKey = options.logKey !== undefined ? readLogKey(options.logKey) : undefined;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let witnessKeys: TransparencyOptions['witnessKeys'];
  try {
    witnessKeys = options.witnessKeys ? readWitnessKeys(read(options.witnessKeys, 'the witness keys')) : undefined;
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`--witness-keys: ${(err as Error).message}`);
  }
  return {
    ...(jwks ? { jwks } : {}),
    ...(logKey ? { logKey } : {}),
    ...(witnessKeys ? { witnessKeys } : {}),
    ...(options.requireWitnesses ? { requireWitnesses: options.requireWitnesses } : {}),
  };
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
        "Check a write's receipt offline: the log signed the checkpoint, and the entry (seq, hash) is in its tree; with --entry, the entry itself hashes to the receipt's hash; with --checkpoint and --proof, the receipt's tree is a prefix of a newer checkpoint's. Exit 0 holds, 1 fails, 2 cannot run.",
      )
        .name('npm run verify -- receipt')
        .argument('<file>', "the write's 201 body (or its receipt member)")
        .option('--entry <file>', "the entry (GET /v1/ledger/entries/:seq): its hash is recomputed and must be the receipt's")
        .option('--checkpoint <file>', "a newer checkpoint (GET /v1/public/checkpoint, the note or its JSON) the receipt's tree must be a prefix of")
        .option('--proof <file>', "the consistency proof from the receipt's tree to it (GET /v1/public/proofs/consistency?from=TREE_SIZE&to=NEW_SIZE)"),
    )
      .addHelpText(
        'after',
        "\nWith --checkpoint, --require-witnesses counts the cosignatures of the newer checkpoint (the receipt's own is signed before any witness saw it).\n" +
          '\nExamples:\n  npm run verify -- receipt redemption.json --entry entry.json --log-key log.key\n' +
          '  npm run verify -- receipt redemption.json --entry entry.json --checkpoint note.txt --proof proof.json --log-key log.key\n' +
          '  npm run verify -- receipt redemption.json --jwks jwks.json',
      )
      .parse(args, { from: 'user' });
    const options = program.opts<Common & { entry?: string; checkpoint?: string; proof?: string }>();
    return runCli('verify', async () => {
      const text = read(program.args[0]!, 'the receipt');
      try {
        JSON.parse(text);
      } catch {
        throw new UsageError(`${program.args[0]} is not JSON`);
      }
      if (options.proof !== undefined && options.checkpoint === undefined)
        throw new UsageError('--proof needs --checkpoint NOTE (the newer checkpoint it leads to)');
      const entry = options.entry !== undefined ? read(options.entry, 'the entry') : undefined;
      if (entry !== undefined)
        try {
          JSON.parse(entry);
        } catch {
          throw new UsageError(`${options.entry} is not JSON (GET /v1/ledger/entries/:seq)`);
        }
      const extensions = {
        ...(entry !== undefined ? { entry } : {}),
        ...(options.checkpoint !== undefined ? { checkpoint: read(options.checkpoint, 'the newer checkpoint') } : {}),
        ...(options.proof !== undefined ? { proof: read(options.proof, 'the proof') } : {}),
      };
      return report(checkReceipt(text, transparencyOptions(options), extensions), options.json);
    });
  }
  const program = commonOptions(
    command(
      'verify',
      'Check that an older checkpoint is a prefix of a newer one (RFC 9162 consistency): nothing before OLD was rewritten or dropped. Exit 0 holds, 1 fails, 2 cannot run.',
    )
      .name('npm run verify -- consistency')
      .argument('<old>', 'the older checkpoint: GET /v1/public/checkpoint (the note text or its JSON), GET /v1/ledger/checkpoint JSON, or a receipt')
      .argument('<new>', 'the newer checkpoint')
      .option('--proof <file>', 'GET /v1/public/proofs/consistency?from=OLD_SIZE&to=NEW_SIZE (not needed for equal sizes)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  npm run verify -- consistency january.txt march.txt --proof proof.json --log-key log.key\n' +
        '  npm run verify -- consistency january.json march.json --proof proof.json --jwks jwks.json',
    )
    .parse(args, { from: 'user' });
  const options = program.opts<Common & { proof?: string }>();
  return runCli('verify', async () => {
    const [older, newer] = [read(program.args[0]!, 'the old checkpoint'), read(program.args[1]!, 'the new checkpoint')];
    return report(checkConsistency(older, newer, options.proof ? read(options.proof, 'the proof') : undefined, transparencyOptions(options)), options.json);
  });
}
