// Running the compiled service the way operators do: `npm start`, and `node scripts/launch.mjs …` (what each
// `npm run <tool>` runs). Shared by the ops process tests.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Compiles dist/ when a source is newer than it (as `npm start` would); several test files may ask at once. */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [join(repo, 'scripts/build.mjs'), '--if-stale'], { cwd: repo, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
}

/** A folder with an Ed25519 signing key in it, for the server's environment. */
export function workFolder(prefix: string): { dir: string; keyPath: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const keyPath = join(dir, 'key.pem');
  writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
  return { dir, keyPath };
}

export interface Started {
  child: ChildProcess;
  url: string;
  /** The server's own pid, from its "listening" line (npm's child when started by npm). */
  pid: number;
  lines: string[];
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns `command args` and resolves once the server it runs logs that it listens. */
export function startListening(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Started> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const listening = /"port":(\d+),"pid":(\d+)/.exec(line);
      if (listening && line.includes('listening')) resolve({ child, url: `http://127.0.0.1:${listening[1]}`, pid: Number(listening[2]), lines, exited });
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${lines.join('\n')}`)));
  });
}

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs `node scripts/launch.mjs <entry> args` in `cwd` to its end. */
export function launch(
  entry: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = options.cwd ?? repo;
  const child = spawn(process.execPath, [join(cwd, 'scripts/launch.mjs'), entry, ...args], {
    cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
}
