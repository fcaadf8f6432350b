// Independent offline verification of a ledger export or database. Exit 0 when every check holds, 1 when one
// fails (naming the first failing seq), 2 when it cannot run (misuse, an unreadable file, an unreachable database).
import { SingleBar } from 'cli-progress';
import { redactCredentials } from '../src/verifier/postgres-source.js';
import { formatReport } from '../src/verifier/report.js';
import { runVerification, tuneHeapForVerification } from '../src/verifier/run.js';
import { command, integer, runCli, UsageError } from './cli.js';
import { runReportCommand } from './verify-report.js';
import { runTransparencyCommand } from './verify-transparency.js';

// `npm run verify -- receipt FILE` and `… consistency OLD NEW` check what the transparency log hands out.
if (process.argv[2] === 'receipt' || process.argv[2] === 'consistency') await runTransparencyCommand(process.argv.slice(2));
// `npm run verify -- report EXPORT --year Y --region R` recomputes the annual report (decision 0043).
if (process.argv[2] === 'report') await runReportCommand(process.argv.slice(2));

// This process only verifies: its old generation is collected as soon as garbage grows past the live state
// (see tuneHeapForVerification; --optimize-for-size, used before, now costs 45% of the time: decision 0034).
tuneHeapForVerification();

const program = command(
  'verify',
  'Verify a ledger independently of the service: an NDJSON export (FILE), or the database itself (--db). Exit 0: every check holds; 1: a check failed (the first failing seq is named); 2: it could not run.',
)
  .argument('[file]', 'an NDJSON export (GET /v1/ledger/export or npm run export)')
  .option('--db <path|url>', 'verify the database instead: a SQLite file or a postgres:// URL (read in one snapshot)')
  .option(
    '--checkpoint <file>',
    'a checkpoint the ledger must contain: a bare C2SP note (GET /v1/public/checkpoint, its text or JSON) or the JWS JSON of GET /v1/ledger/checkpoint; needs --log-key or --jwks',
  )
  .option('--log-key <key|file>', "the log's note verifier key (GET /v1/public/log-key), the key itself or a file holding it")
  .option('--jwks <file>', 'the signing keys (GET /.well-known/jwks.json) the checkpoint is verified against (instead of, or as well as, --log-key)')
  .option(
    '--require-witnesses <k>',
    "require the checkpoint's note to be cosigned by K distinct witnesses of --witness-keys (the note's own cosignatures)",
    integer(1, 100),
  )
  .option('--witness-keys <file>', 'witness verifier keys (C2SP, one per line)')
  .option('--policies <dir>', 'the policy files (default: the ones shipped with the verifier)')
  .option('--partial', 'a filtered export: check each entry on its own and list the gaps', false)
  .option('--json', 'print the report as JSON', false)
  .option('--hash-threads <n>', 'hash on N worker threads (default: one per spare core, at most 2, for a large ledger)', integer(0, 64))
  .addHelpText(
    'after',
    '\nExamples:\n  npm run verify -- ledger.ndjson --checkpoint note.txt --log-key log.key     (GET /v1/public/checkpoint, /v1/public/log-key)\n' +
      '  npm run verify -- ledger.ndjson --checkpoint checkpoint.json --jwks jwks.json\n  npm run verify -- --db ./data/voucher-ledger.db\n' +
      '  npm run verify -- receipt redemption.json --entry entry.json --log-key log.key          (see npm run verify -- receipt --help)\n' +
      '  npm run verify -- consistency old.txt new.txt --proof proof.json --log-key log.key\n' +
      '  npm run verify -- report ledger.ndjson --year 2025 --region 330100 [--compare report.json]   (see npm run verify -- report --help)',
  )
  .parse();
const options = program.opts<{
  db?: string;
  checkpoint?: string;
  jwks?: string;
  logKey?: string;
  witnessKeys?: string;
  requireWitnesses?: number;
  policies?: string;
  partial: boolean;
  json: boolean;
  hashThreads?: number;
}>();
const file = program.args[0];

await runCli(
  'verify',
  async () => {
    if ((file === undefined) === (options.db === undefined)) throw new UsageError('give either an NDJSON FILE or --db PATH|URL');
    const bar = process.stderr.isTTY ? new SingleBar({ format: 'verifying [{bar}] {percentage}% | {eta_formatted} left', stream: process.stderr }) : undefined;
    try {
      const report = await runVerification({
        ...(options.db ? { db: options.db } : { file: file! }),
        ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
        ...(options.jwks ? { jwks: options.jwks } : {}),
        ...(options.logKey ? { logKey: options.logKey } : {}),
        ...(options.witnessKeys ? { witnessKeys: options.witnessKeys } : {}),
        ...(options.requireWitnesses !== undefined ? { requireWitnesses: options.requireWitnesses } : {}),
        ...(options.policies ? { policyDir: options.policies } : {}),
        partial: options.partial,
        ...(options.hashThreads !== undefined ? { hashThreads: options.hashThreads } : {}),
        ...(bar ? { progress: { start: (total: number) => bar.start(total, 0), advance: (n: number) => bar.increment(n) } } : {}),
      });
      bar?.stop();
      console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      return report.ok ? 0 : 1;
    } catch (err) {
      bar?.stop();
      // Whatever stops the verifier from running is exit 2, never 1: 1 means the ledger failed a check.
      throw new UsageError(`verification could not run: ${(err as Error).message}`);
    }
  },
  (text) => redactCredentials(text, options.db),
);
