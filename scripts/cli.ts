// What every command line tool of the project shares: commander with --help on every command, errors in one
// line without a stack trace, and one meaning per exit code (decision 0022):
//   0 done (for the verifier: every check holds); 1 the tool ran and the outcome is negative (the verifier found
//   a failure) or the work failed midway; 2 misuse: a bad option, argument, path or setting; nothing was done.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { type Config, loadConfig } from '../src/config.js';

/** Misuse: a bad argument, path or setting. Exit 2. */
export class UsageError extends Error {}

const oneLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ');

/** A command named as the user runs it (`npm run export`), with help, and misuse answered in one line and exit 2. */
export function command(script: string, description: string): Command {
  const name = `npm run ${script} --`;
  return new Command(name)
    .description(description)
    .helpOption('-h, --help', 'show this help and exit')
    .showSuggestionAfterError(true)
    .configureOutput({
      outputError: (text, write) => write(`npm run ${script}: ${oneLine(text.replace(/^error: /, ''))} (see npm run ${script} -- --help)\n`),
    })
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
}

/**
 * Runs a tool's main function: its result is the exit code; a UsageError is one line and exit 2, any other error
 * one line and exit 1 (`redact` removes what must never be printed, such as a database password).
 */
export async function runCli(script: string, main: () => Promise<number | void>, redact: (text: string) => string = (text) => text): Promise<never> {
  try {
    const code = await main();
    process.exit(code ?? 0);
  } catch (err) {
    const message = redact(oneLine(err instanceof Error ? err.message : String(err)));
    console.error(`npm run ${script}: ${message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}

/** The settings, or a UsageError naming the bad ones. */
export function settings(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

/** A database the tool reads: a PostgreSQL URL, or a SQLite file that exists (never one created by mistake). */
export function existingDatabase(url: string): string {
  if (isPostgresUrl(url)) return url;
  if (url === ':memory:' || url.trim() === '') throw new UsageError(`--db (or DATABASE_URL) must name a SQLite file or a postgres:// URL, not "${url}"`);
  if (!existsSync(url)) throw new UsageError(`no database at ${resolve(url)} (give --db PATH, or set DATABASE_URL)`);
  if (!statSync(url).isFile()) throw new UsageError(`${resolve(url)} is not a database file`);
  return url;
}

/** A file the tool is about to write: its folder must exist; an existing file only with `overwrite`. */
export function outputFile(path: string, options: { overwrite?: boolean } = {}): string {
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`cannot write ${path}: the folder ${folder} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`cannot write ${path}: it is a folder`);
  if (!options.overwrite && existsSync(path)) throw new UsageError(`${path} already exists (remove it first, or pass --force)`);
  return path;
}

/** An option parser for a whole number within bounds (commander reports the option and value when it throws). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return Number(text);
  };
}

/** Removes the password of `url` (and any postgres://user:password@ form) from a message. */
export function withoutPassword(url: string | undefined): (text: string) => string {
  const password = url && URL.canParse(url) ? new URL(url).password : '';
  return (text) => {
    let out = text;
    if (password) for (const form of new Set([password, decodeURIComponent(password)])) out = out.split(form).join('***');
    return out.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
  };
}

/**
 * DATABASE_URL (or its default) alone, so that a tool that only reads the database does not need the server's
 * other settings (production's keys).
 */
export function databaseUrlSetting(env: NodeJS.ProcessEnv = process.env): string {
  return settings({ DATABASE_URL: env['DATABASE_URL'] }).DATABASE_URL;
}
