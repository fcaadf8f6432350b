// A server whose log reader has gone (stdout a pipe closed at its far end: every write fails with EPIPE) keeps
// answering, and SIGTERM still ends it, cleanly and well within its 10 s deadline: logging can neither crash
// nor hang it.
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serviceEnvironment } from '../helpers/processes.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { repo, workFolder } from './ops-support.js';

const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));

/** Asserted, not the server's own 10 s: its deadline would exit 1, and a hang would never end. */
const EXIT_WITHIN_MS = 5_000;

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** The process's exit, or 'timeout' once `ms` have passed and it still runs. */
function exitWithin(child: ChildProcess, ms: number): Promise<Exit | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/**
 * Starts src/server.ts with its stdout piped to this process, reads up to its "listening" line, then closes the
 * reading end of the pipe: from then on the server's writes to stdout fail with EPIPE. `act` runs against the
 * server's URL; then SIGTERM; resolves with the exit (or 'timeout') and what was on stderr.
 */
async function withClosedStdout(act: (url: string) => Promise<void>): Promise<{ exit: Exit | 'timeout'; stderr: string }> {
  const { dir, keyPath } = workFolder('vl-epipe-');
  const database = await createTestDatabase(join(dir, 'ledger.db'));
  const child = spawn(process.execPath, ['--import', tsx, join(repo, 'src/server.ts')], {
    cwd: repo,
    env: serviceEnvironment(database.url, keyPath),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const port = /"port":(\d+)/.exec(line)?.[1];
        if (port && line.includes('listening')) {
          lines.close();
          resolve(`http://127.0.0.1:${port}`);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    });
    child.stdout!.destroy();
    await act(url);
    child.kill('SIGTERM');
    const exit = await exitWithin(child, EXIT_WITHIN_MS);
    return { exit, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a server whose stdout reader has gone', () => {
  it('exits 0 on SIGTERM within the deadline when its shutdown lines are the first to meet the closed pipe', async () => {
    const { exit, stderr } = await withClosedStdout(async () => undefined);
    expect(exit, `still running ${EXIT_WITHIN_MS} ms after SIGTERM; stderr: ${stderr}`).not.toBe('timeout');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stderr).not.toMatch(/EPIPE|Error/);
  }, 30_000);

  it('keeps answering requests (each one logs a line) and exits 0 on SIGTERM within the deadline', async () => {
    const { exit, stderr } = await withClosedStdout(async (url) => {
      for (let i = 0; i < 50; i++) expect((await fetch(`${url}/livez?attempt=${i}`)).status).toBe(200);
      // a longer line, at warn (no token)
      expect((await fetch(`${url}/v1/${'x'.repeat(4000)}`)).status).toBe(401);
      expect((await fetch(`${url}/livez`)).status).toBe(200);
    });
    expect(exit, `still running ${EXIT_WITHIN_MS} ms after SIGTERM; stderr: ${stderr}`).not.toBe('timeout');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stderr).not.toMatch(/EPIPE|Error/);
  }, 30_000);
});
