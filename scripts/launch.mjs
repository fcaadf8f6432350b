// Runs a compiled entry point of dist/ in this very process: `node scripts/launch.mjs src/server.js [args]`.
// It compiles first only when a source is newer than the last build (a fresh clone, a pull, an edit) and the
// TypeScript compiler is installed; after `npm prune --omit=dev` it runs the existing build. Nothing is spawned
// to run the entry: with `exec` in the npm script, the process npm (or a process manager) signals is the server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, isStale, repo, typescriptCompiler } from './build.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/launch.mjs <file in dist/, e.g. src/server.js> [args]');
  process.exit(2);
}
const target = join(repo, 'dist', entry);

if (isStale()) {
  if (typescriptCompiler()) {
    const status = build({ onlyIfStale: true });
    if (status !== 0) {
      console.error(`voucher-ledger: the TypeScript build failed (above, exit ${status}); nothing was started`);
      process.exit(1);
    }
  } else if (existsSync(target)) {
    console.error('voucher-ledger: sources are newer than dist/ but TypeScript is not installed; running the existing build');
  }
}
// The server also serves the console (dist/console): built when a console source is newer and Vite is installed.
const consoleBuild = join(repo, 'console', 'build.mjs');
if (entry === 'src/server.js' && existsSync(consoleBuild)) {
  const { isConsoleStale, viteInstalled } = await import(pathToFileURL(consoleBuild).href);
  // In a process of its own: Vite sets NODE_ENV=production in the process that builds.
  if (isConsoleStale() && viteInstalled() && spawnSync(process.execPath, [consoleBuild, '--if-stale'], { stdio: ['ignore', 2, 2] }).status !== 0)
    console.error('voucher-ledger: the console build failed (above); the API starts without it');
}
if (!existsSync(target)) {
  console.error(`voucher-ledger: ${join('dist', entry)} does not exist: run npm run build (with dev dependencies installed) first`);
  process.exit(1);
}
// The entry sees the arguments as if it had been run directly: node dist/<entry> [args].
process.argv.splice(1, process.argv.length - 1, target, ...args);
await import(pathToFileURL(target).href);
