// docs/deploy/Dockerfile builds and runs, checked without Docker: its build stage is replayed in a temporary
// folder holding only what its COPY lines copy (npm ci, the build, the prune), its runtime stage's
// COPY --from=build lines fill a second folder, and that folder is started the way CMD says, with its ENV.
// Slow (npm ci and both builds): one test, in the SQLite project only.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, posix, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../helpers/test-database.js';
import { repo } from './ops-support.js';

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions: continuation lines joined, comments and blank lines left out. */
function instructions(text: string): Instruction[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) lines.push(current.trim());
    current = '';
  }
  return lines.map((line) => {
    const [, keyword, args] = /^(\S+)\s*(.*)$/s.exec(line)!;
    return { keyword: keyword!.toUpperCase(), args: args! };
  });
}

interface Stage {
  name?: string;
  /** The stage's WORKDIR in the image, e.g. /app. */
  workdir: string;
  steps: Instruction[];
}

function stages(all: Instruction[]): Stage[] {
  const result: Stage[] = [];
  for (const step of all) {
    if (step.keyword === 'FROM') {
      result.push({ name: /\sAS\s+(\S+)$/i.exec(step.args)?.[1], workdir: '/', steps: [] });
      continue;
    }
    const stage = result.at(-1);
    if (!stage) throw new Error(`${step.keyword} before FROM`);
    if (step.keyword === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, step.args);
    stage.steps.push(step);
  }
  return result;
}

/** A COPY's flags (--from=build), sources and destination. */
function copyArgs(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : args.trim().split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

/**
 * Copies as Docker's COPY does: a folder's contents into the destination, a file into it when the destination
 * ends with '/' (or there are several sources), else to it; timestamps kept (the launcher compares them).
 */
function copy(sources: string[], dest: string, into: string): void {
  const target = resolve(into, dest);
  const intoFolder = dest.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    if (statSync(source).isDirectory()) {
      cpSync(source, target, { recursive: true, preserveTimestamps: true });
    } else {
      const file = intoFolder ? join(target, basename(source)) : target;
      mkdirSync(resolve(file, '..'), { recursive: true });
      cpSync(source, file, { preserveTimestamps: true });
    }
  }
}

/** Runs a RUN line with sh in `cwd`; resolves with its exit code and output. */
function sh(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** ENV KEY=value … (or the older ENV KEY value). */
function envValues(args: string): Record<string, string> {
  const unquote = (value: string) => value.replace(/^"(.*)"$/, '$1');
  const words = args.trim().split(/\s+/);
  if (!words[0]!.includes('=')) return { [words[0]!]: unquote(words.slice(1).join(' ')) };
  return Object.fromEntries(words.map((word) => [word.slice(0, word.indexOf('=')), unquote(word.slice(word.indexOf('=') + 1))]));
}

describe.skipIf(testEngine !== 'sqlite')('docs/deploy/Dockerfile', () => {
  it('builds from what its COPY lines copy, runs as a non-root user the way npm start does, and serves /livez and /console/', async () => {
    const dockerfile = readFileSync(join(repo, 'docs/deploy/Dockerfile'), 'utf8');
    const [build, runtime, ...more] = stages(instructions(dockerfile));
    expect(more).toEqual([]);
    expect(build?.name).toBe('build');

    // The runtime stage drops root before CMD, and CMD is `npm start` without npm (signals reach node itself).
    const keywords = runtime!.steps.map((step) => step.keyword);
    const user = runtime!.steps.find((step) => step.keyword === 'USER');
    expect(user, 'a USER line in the runtime stage').toBeDefined();
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.lastIndexOf('CMD'));
    expect(user!.args.split(':')[0]).not.toMatch(/^(root|0)$/);
    const cmd = JSON.parse(runtime!.steps.findLast((step) => step.keyword === 'CMD')!.args) as string[];
    const start = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(cmd.join(' ')).toBe(start.replace(/^exec /, ''));

    const buildDir = mkdtempSync(join(tmpdir(), 'vl-docker-build-'));
    const runRoot = mkdtempSync(join(tmpdir(), 'vl-docker-run-'));
    let server: ChildProcess | undefined;
    try {
      // The build stage. Its apt-get line is skipped: it installs the compiler toolchain for better-sqlite3,
      // which this machine already has. npm reuses its cache (--prefer-offline) to keep the run short.
      const buildEnv: NodeJS.ProcessEnv = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !/^(NODE_ENV|NODE_OPTIONS|VITEST.*|TEST_.*|npm_.*)$/i.test(key)),
      );
      buildEnv['npm_config_prefer_offline'] = 'true';
      for (const step of build!.steps) {
        if (step.keyword === 'COPY') {
          const { from, sources, dest } = copyArgs(step.args);
          expect(from, 'COPY --from in the build stage').toBeUndefined();
          copy(
            sources.map((source) => join(repo, source)),
            dest,
            buildDir,
          );
        } else if (step.keyword === 'RUN' && !step.args.startsWith('apt-get')) {
          const result = await sh(step.args, buildDir, buildEnv);
          expect(result.code, `RUN ${step.args}:\n${result.output.slice(-4000)}`).toBe(0);
        } else if (step.keyword === 'ENV') {
          Object.assign(buildEnv, envValues(step.args));
        }
      }

      // The runtime stage: what it copies from the build stage, and its ENV. Its RUN only makes the volume's
      // folder for the database, replaced here by a temporary folder.
      const appDir = join(runRoot, 'app');
      const dataDir = join(runRoot, 'data');
      mkdirSync(appDir);
      mkdirSync(dataDir);
      let env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] };
      for (const step of runtime!.steps) {
        if (step.keyword === 'COPY') {
          const { from, sources, dest } = copyArgs(step.args);
          expect(from, `COPY ${step.args}: only from the build stage`).toBe('build');
          const inBuild = sources.map((source) => {
            const relative = posix.relative(build!.workdir, source);
            expect(isAbsolute(source) && !relative.startsWith('..'), `${source} is in the build stage's ${build!.workdir}`).toBe(true);
            return join(buildDir, relative);
          });
          copy(inBuild, dest, appDir);
        } else if (step.keyword === 'ENV') {
          env = { ...env, ...envValues(step.args) };
        }
      }
      expect(statSync(join(appDir, 'dist/console/index.html')).isFile()).toBe(true);

      const keyPath = join(dataDir, 'ledger-signing-key.pem');
      writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
      // As in the image: an unprivileged user who can read the app and write only the database's folder.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
      if (asUser) {
        chmodSync(runRoot, 0o755);
        for (const path of [dataDir, keyPath]) chownSync(path, asUser.uid, asUser.gid);
      }
      env = {
        ...env,
        // A free port on the loopback only, for the test.
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: join(dataDir, 'voucher-ledger.db'),
        JWT_SECRET: randomBytes(32).toString('hex'),
        LEDGER_SIGNING_KEY: keyPath,
      };
      expect(env['NODE_ENV']).toBe('production');

      const [program, ...args] = cmd;
      server = spawn(program === 'node' ? process.execPath : program!, args, { cwd: appDir, env, ...asUser, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: server!.stdout! }).on('line', (line) => {
          const port = /"port":(\d+)/.exec(line)?.[1];
          if (port && line.includes('listening')) resolve(`http://127.0.0.1:${port}`);
        });
        void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${stderr}`)));
      });

      expect((await fetch(`${url}/livez`)).status).toBe(200);
      const page = await fetch(`${url}/console/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      // dist/ ran as built: nothing was recompiled, nothing was found stale
      expect(stderr).not.toMatch(/compiling|newer than dist|console build/);

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      rmSync(buildDir, { recursive: true, force: true });
      rmSync(runRoot, { recursive: true, force: true });
    }
  }, 480_000);
});
