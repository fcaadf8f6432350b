import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from './test-app.js';

/** The environment of a server or script process of the service on `databaseUrl`. */
export function serviceEnvironment(databaseUrl: string, signingKeyPath: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_SECRET,
    LEDGER_SIGNING_KEY: signingKeyPath,
    LOG_LEVEL: 'info',
    PORT: '0',
    HOST: '127.0.0.1',
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every line the server has logged so far. */
  log: string[];
  /** SIGTERM, then wait until the process has exited. */
  stop(): Promise<void>;
}

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** node arguments that run a TypeScript file of this repository from any working directory. */
const runTs = (file: string) => ['--import', fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url)), `${repo}${file}`];

// Whatever a failing test leaves running is killed when the test process exits.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `src/server.ts` in a process of its own; resolves once it listens. Stop it with `stop()`. */
export function startServer(env: NodeJS.ProcessEnv, cwd = repo): Promise<ServerProcess> {
  const child = spawn(process.execPath, runTs('src/server.ts'), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const log: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    // Every line is read (the request log included) so that the pipe never fills and stalls the server.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      const port = /"port":(\d+)/.exec(line)?.[1];
      if (port && line.includes('listening')) resolve({ url: `http://127.0.0.1:${port}`, child, log, stop: () => stopChild(child) });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${log.join('\n')}`)));
  });
}

/** Sends SIGTERM and resolves once the process has exited (at once if it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs a TypeScript file of the service (`scripts/….ts`, `src/server.ts`) to its end. */
export function runScript(args: string[], env: NodeJS.ProcessEnv, cwd = repo): Promise<{ code: number | null; output: string; stderr: string }> {
  return new Promise((resolve) => {
    const [file, ...rest] = args;
    const child = spawn(process.execPath, [...runTs(file!), ...rest], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => {
      output += chunk;
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, output, stderr }));
  });
}
