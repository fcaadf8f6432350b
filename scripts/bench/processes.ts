// Child processes of the benchmark and how to watch them: free ports, resident memory, JSON-reporting children.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const mb = (bytes: number) => bytes / 1024 / 1024;

const statusField = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** Resident memory now, in bytes. */
export const rssOf = (pid: number) => statusField(pid, 'VmRSS');

/**
 * Watches a process's peak resident memory over a stretch of work: the kernel's own high-water mark (reset
 * at the start through clear_refs, so no sample can miss a spike), with 20 ms sampling as a fallback where
 * the reset is not allowed.
 */
export function peakRss(pid: number): () => number {
  let sampled = rssOf(pid);
  let kernel = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    kernel = true;
  } catch {
    // not permitted here: sampling only
  }
  const timer = setInterval(() => (sampled = Math.max(sampled, rssOf(pid))), 20);
  return () => {
    clearInterval(timer);
    return Math.max(sampled, kernel ? statusField(pid, 'VmHWM') : 0);
  };
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Runs plain JavaScript (an ES module) in a fresh `node` without flags and returns the JSON it prints last.
 * Children measure their own time and peak memory, so the benchmark's own work never pollutes the figures.
 * The code goes to a file rather than `-e`: worker threads (the verifier's) inherit the parent's exec flags.
 */
export function runJsonChild<T>(code: string, args: string[], options: { onStart?: (child: ChildProcess) => void } = {}): Promise<T> {
  const dir = join(tmpdir(), 'vl-bench-children');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  writeFileSync(file, code);
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  options.onStart?.(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`child exited with ${code ?? signal} and printed ${JSON.stringify(out.slice(-500))}`));
      }
    }),
  );
}

/**
 * Runs `cleanUp` and exits 130 on Ctrl-C or SIGTERM (what would otherwise be left behind: a database, a server);
 * `dispose` removes the handlers once the work that needed them is done.
 */
export function onInterrupt(cleanUp: () => Promise<void>): { dispose(): void } {
  const handler = (signal: NodeJS.Signals) => {
    console.error(`[bench] ${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, handler);
  return { dispose: () => ['SIGINT', 'SIGTERM'].forEach((signal) => process.off(signal, handler)) };
}
