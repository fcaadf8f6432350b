// `npm run verify -- report EXPORT.ndjson --year Y --region R [--through-seq N] [--compare REPORT.json]
// [--checkpoint NOTE --log-key KEY | --jwks JWKS] [--json]`: decision 0043's annual report recomputed from an export
// by the verifier's own fold, printed, or compared figure by figure with the service's report; with --checkpoint,
// the export is first proven to be the log's own (the whole verifier, decision 0045) up to the report's last seq.
// Exit 0: printed, or every figure agrees (and is proven); 1: the export fails a check, is not the log's or not
// proven that far, or a figure differs (named); 2: it could not run.
import { readFileSync, statSync } from 'node:fs';
import {
  AnnualReportFailure,
  AnnualReportUnrunnable,
  compareAnnualReports,
  exportEntries,
  formatAnnualReport,
  recomputeAnnualReport,
  type RecomputedAnnualReport,
} from '../src/verifier/annual-report.js';
import { runVerification } from '../src/verifier/run.js';
import type { Report } from '../src/verifier/report.js';
import { command, integer, runCli, UsageError } from './cli.js';

interface ReportOptions {
  year: number;
  region: string;
  throughSeq?: number;
  compare?: string;
  checkpoint?: string;
  logKey?: string;
  jwks?: string;
  partial: boolean;
  json: boolean;
}

export async function runReportCommand(argv: string[]): Promise<never> {
  const program = command(
    'verify',
    "Recompute the annual report (decision 0043) from an NDJSON export with the verifier's own code, checking the chain as it reads; with --compare, compare it figure by figure with the service's report. Exit 0: printed, or every figure agrees; 1: the export fails a check or a figure differs; 2: it could not run.",
  )
    .name('npm run verify -- report')
    .argument('<export>', 'an NDJSON export (GET /v1/ledger/export or npm run export): the whole ledger, or filtered by region with --partial')
    .requiredOption('--year <y>', 'the report year', integer(2020, 9999))
    .requiredOption('--region <code>', 'the report region (6 digits)')
    .option('--through-seq <n>', "fold through this seq (default: with --compare the report's throughSeq, else the year's last seq)", integer(0))
    .option('--compare <report.json>', "the service's report (GET /v1/reports/annual?year=Y&region=R) to compare with")
    .option(
      '--checkpoint <file>',
      "prove the export is the log's own first: a checkpoint (GET /v1/public/checkpoint, or the JSON of GET /v1/ledger/checkpoint) of tree size at least the report's last seq; needs --log-key or --jwks",
    )
    .option('--log-key <key|file>', "the log's note verifier key (GET /v1/public/log-key), the key itself or a file holding it")
    .option('--jwks <file>', 'the signing keys (GET /.well-known/jwks.json) a JWS checkpoint is verified against')
    .option(
      '--partial',
      'an export filtered by region: its gaps are listed instead of failing (each entry’s hash is checked, links only between consecutive seqs)',
      false,
    )
    .option('--json', 'print the recomputed report (or the comparison) as JSON', false)
    .addHelpText(
      'after',
      '\nExamples:\n  npm run verify -- report ledger.ndjson --year 2025 --region 330100\n' +
        '  npm run verify -- report hangzhou.ndjson --year 2025 --region 330100 --partial --compare annual-report-330100-2025.json\n' +
        '  npm run verify -- report ledger.ndjson --year 2025 --region 330100 --compare annual-report-330100-2025.json --checkpoint note.txt --log-key log.key',
    )
    .parse(argv.slice(1), { from: 'user' });
  const options = program.opts<ReportOptions>();
  const file = program.args[0]!;
  return runCli('verify', async () => {
    if (!/^[1-8][0-9]{5}$/.test(options.region)) throw new UsageError(`--region ${options.region} is not a 6-digit region code`);
    if ((options.logKey || options.jwks) && !options.checkpoint) throw new UsageError('--log-key and --jwks verify a --checkpoint: give one');
    if (options.checkpoint && !options.logKey && !options.jwks) throw new UsageError('--checkpoint needs --log-key KEY or --jwks FILE to verify it with');
    // A filtered export cannot rebuild the log's tree, so it cannot be proven the log's against a checkpoint.
    if (options.checkpoint && options.partial) throw new UsageError('--checkpoint proves a whole export; a --partial one cannot rebuild the log’s tree');
    try {
      if (!statSync(file).isFile()) throw new Error();
    } catch {
      throw new UsageError(`cannot read the export ${file}`);
    }
    let report: unknown;
    if (options.compare) {
      try {
        report = JSON.parse(readFileSync(options.compare, 'utf8')) as unknown;
      } catch {
        throw new UsageError(`--compare ${options.compare} is not a readable JSON file`);
      }
      if (typeof report !== 'object' || report === null || Array.isArray(report))
        throw new UsageError(`--compare ${options.compare} is not a report (a JSON object)`);
    }
    const compared = report as Record<string, unknown> | undefined;
    // A report of another year or region is a mistake of the command line, not a figure that differs.
    if (compared && (compared['year'] !== options.year || compared['region'] !== options.region))
      throw new UsageError(
        `--compare ${options.compare} is the report of ${String(compared['region'])} for ${String(compared['year'])}, not of ${options.region} for ${options.year}`,
      );
    const reportSeq = compared?.['throughSeq'];
    if (options.compare && options.throughSeq === undefined && (!Number.isSafeInteger(reportSeq) || (reportSeq as number) < 0))
      throw new UsageError(`--compare ${options.compare} has no throughSeq (give --through-seq N)`);
    const throughSeq = options.throughSeq ?? (reportSeq as number | undefined);

    const proof = options.checkpoint ? await proveExport(file, options) : undefined;
    if (proof && !proof.ok) {
      const failure = proof.firstFailure ?? { seq: proof.lastSeq ?? 0, check: 'checkpoint', reason: 'the checkpoint does not hold' };
      console.log(
        options.json
          ? JSON.stringify({ ok: false, proof: failure }, null, 2)
          : `FAILED: the export is not proven the log's own: ${failure.check} at seq ${failure.seq}: ${failure.reason}`,
      );
      return 1;
    }

    let recomputed: RecomputedAnnualReport;
    try {
      recomputed = await recomputeAnnualReport(exportEntries(file), {
        year: options.year,
        region: options.region,
        ...(throughSeq !== undefined ? { throughSeq } : {}),
        // Whether the year had ended is judged as of when the report was read, not when it is checked.
        now: readAt(report) ?? new Date(),
        partial: options.partial,
      });
    } catch (err) {
      if (err instanceof AnnualReportFailure) {
        console.log(options.json ? JSON.stringify({ ok: false, seq: err.seq, reason: err.reason }, null, 2) : `FAILED at seq ${err.seq}: ${err.reason}`);
        return 1;
      }
      // The report's own throughSeq past the year's last seq is a figure of the report that differs.
      if (err instanceof AnnualReportUnrunnable && options.compare && options.throughSeq === undefined && err.bound !== undefined) {
        const difference = `throughSeq: report ${throughSeq}, ledger ${err.bound} (${err.message})`;
        console.log(options.json ? JSON.stringify({ ok: false, difference }, null, 2) : `DIFFERS: ${difference}`);
        return 1;
      }
      if (err instanceof AnnualReportUnrunnable) throw new UsageError(`the report could not be recomputed: ${err.message}`);
      throw new UsageError(`the report could not be recomputed: ${(err as Error).message}`);
    }

    const through = recomputed.report.throughSeq;
    // The checkpoint proves the entries through its tree size; a report that reads further rests on entries it does not cover.
    const provenThrough = proof ? provenSeq(proof) : undefined;
    const notProven =
      provenThrough !== undefined && through > provenThrough
        ? `the checkpoint proves the export through seq ${provenThrough}, and the report reads through seq ${through}: give a newer checkpoint`
        : undefined;
    const proven = proof && !notProven ? `PROVEN: the export is the log's own through seq ${provenThrough} (${checkpointDetail(proof)})` : undefined;

    if (!options.compare) {
      if (options.json) console.log(JSON.stringify(proof ? { ...recomputed.report, proven: !notProven, provenThrough } : recomputed.report, null, 2));
      else console.log([formatAnnualReport(recomputed), ...(notProven ? [`NOT PROVEN: ${notProven}`] : []), ...(proven ? [proven] : [])].join('\n'));
      return notProven ? 1 : 0;
    }
    const comparison = compareAnnualReports(report, recomputed.report);
    const ok = comparison.agree && !notProven;
    if (options.json)
      console.log(
        JSON.stringify(
          {
            ok,
            throughSeq: through,
            ...comparison,
            unproven: recomputed.chain.unproven,
            ...(proof ? { proven: !notProven, provenThrough } : {}),
          },
          null,
          2,
        ),
      );
    else
      console.log(
        [
          ...recomputed.chain.unproven.map((text) => `UNPROVEN: ${text}`),
          comparison.agree
            ? `the report agrees with the ledger through seq ${through}: ${comparison.figures} figures compared`
            : `DIFFERS: ${comparison.difference}`,
          ...(notProven ? [`NOT PROVEN: ${notProven}`] : []),
          ...(proven && comparison.agree ? [proven] : []),
          // The fold checks the chain it reads, not that it is the log's: a ledger rewritten and re-hashed throughout passes it.
          ...(comparison.agree && !proof
            ? [
                `NOTE: that this export is the log's own is proven with --checkpoint NOTE --log-key KEY (a public checkpoint of tree size ≥ ${through}), or by npm run verify -- ${file} with them`,
              ]
            : []),
        ].join('\n'),
      );
    return ok ? 0 : 1;
  });
}

/** The whole verifier over the export with the checkpoint: every check, and the checkpoint's root rebuilt from the entries. */
async function proveExport(file: string, options: ReportOptions): Promise<Report> {
  try {
    return await runVerification({
      file,
      checkpoint: options.checkpoint!,
      ...(options.logKey ? { logKey: options.logKey } : {}),
      ...(options.jwks ? { jwks: options.jwks } : {}),
    });
  } catch (err) {
    throw new UsageError(`the export could not be checked against the checkpoint: ${(err as Error).message}`);
  }
}

/** The last seq a verified checkpoint covers: the export's last entry unless the report says entries after some seq are not covered. */
const provenSeq = (proof: Report): number => (proof.unproven ? proof.unproven.afterSeq : (proof.lastSeq ?? 0));

const checkpointDetail = (proof: Report): string => proof.checks.find((check) => check.name === 'checkpoint')?.detail ?? 'checkpoint verified';

/** The report's generatedAt as a date, or undefined when it has none that parses. */
function readAt(report: unknown): Date | undefined {
  const text = (report as Record<string, unknown> | undefined)?.['generatedAt'];
  const date = typeof text === 'string' ? new Date(text) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
