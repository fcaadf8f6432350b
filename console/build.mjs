// Builds the console (console/ → dist/console) with Vite. `npm run build` runs it after the server's build;
// `npm start` (scripts/launch.mjs) runs it only when a console source is newer than the last console build and
// Vite is installed; after `npm prune --omit=dev` the existing dist/console is served as it is.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const source = join(repo, 'console');
const out = join(repo, 'dist', 'console');
const stamp = join(out, '.build-stamp');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether dist/console is missing or older than a console source (or the lock file: a dependency changed). */
export function isConsoleStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return Math.max(newestMtime(source), newestMtime(join(repo, 'package-lock.json'))) > built;
}

/** Whether Vite is installed (dev dependencies present). */
export function viteInstalled() {
  try {
    createRequire(join(repo, 'package.json')).resolve('vite');
    return true;
  } catch {
    return false;
  }
}

/** Builds the console; resolves when dist/console is written. Logs go to stderr (stdout is the server's log). */
export async function buildConsole({ onlyIfStale = false } = {}) {
  if (onlyIfStale && !isConsoleStale()) return;
  const { build } = await import('vite');
  process.stderr.write('voucher-ledger: building the console into dist/console …\n');
  await build({ configFile: join(source, 'vite.config.ts'), logLevel: 'warn', customLogger: undefined });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildConsole({ onlyIfStale: process.argv.includes('--if-stale') });
  } catch (err) {
    console.error(`voucher-ledger: the console build failed: ${err.message}`);
    process.exit(1);
  }
}
