// Compiles src/, db/ and scripts/ into dist/ (scripts/tsconfig.build.json) and copies the policy files beside the
// compiled rules, and the working-day calendar's files beside the compiled calendar. `npm run build` runs it;
// `npm start` and the CLIs (scripts/launch.mjs) run it only when a source is newer than the last build. Plain
// JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));
const dist = join(repo, 'dist');
/** Written after a successful build; its mtime is the build's time. */
const stamp = join(dist, '.build-stamp');
const lock = join(dist, '.build-lock');
const INPUTS = ['src', 'db', 'scripts', 'tsconfig.json', 'package.json'];

/** The newest mtime of the TypeScript and JSON files under `path` (what the build reads). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.(ts|json)$/.test(path) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether dist/ is missing or older than any source (a fresh clone, a `git pull`, an edit). */
export function isStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((input) => newestMtime(join(repo, input)) > built);
}

/** The TypeScript compiler, or undefined when dev dependencies are not installed (`npm prune --omit=dev`). */
export function typescriptCompiler() {
  try {
    return createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds once even when several processes start together (`npm start` beside `npm run token`): the first takes
 * the lock directory, the others wait for it and then find dist/ fresh. A lock older than five minutes was left
 * by a build that died, and is taken over. Returns the compiler's exit status (0 when built).
 */
export function build({ onlyIfStale = false } = {}) {
  const tsc = typescriptCompiler();
  if (!tsc) throw new Error('TypeScript is not installed (dev dependencies were omitted): build before pruning, or run npm install');
  mkdirSync(dist, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    if (onlyIfStale && !isStale()) return 0;
    process.stderr.write('voucher-ledger: compiling TypeScript into dist/ …\n');
    const result = spawnSync(process.execPath, [tsc, '-p', join(repo, 'scripts/tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
    if (result.status !== 0) return result.status ?? 1;
    cpSync(join(repo, 'src/rules/policies'), join(dist, 'src/rules/policies'), { recursive: true });
    cpSync(join(repo, 'src/calendar/data'), join(dist, 'src/calendar/data'), { recursive: true });
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
    return 0;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    // --if-stale: only when a source is newer than the last build (what `npm start` does before it runs).
    process.exit(build({ onlyIfStale: process.argv.includes('--if-stale') }));
  } catch (err) {
    console.error(`voucher-ledger: ${err.message}`);
    process.exit(1);
  }
}
