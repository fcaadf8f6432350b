// What every browser journey shares: a real server on a fresh SQLite database, Chromium driven by
// playwright-core (Debian's /usr/bin/chromium, never a downloaded browser), tokens, and API reads of the ledger.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createSignInCodeService } from '../../src/console-sign-in/sign-in-codes.service.js';
import { createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Db, migrateToLatest } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { type ServerProcess, serviceEnvironment, startServer } from '../helpers/processes.js';
import { type Claims, mintToken } from '../helpers/test-app.js';

export const CHROMIUM = '/usr/bin/chromium';

/** What page functions use of the page's window (the tests are compiled without the DOM library). */
interface PageWindow {
  document: { getAnimations(): { playState: string }[] };
}
const artifacts = fileURLToPath(new URL('../artifacts', import.meta.url));

/** A server clock a journey moves, for dates to pass (a public notice that ends); sign-in codes and the server share it. */
export interface JourneyClock extends Clock {
  /** Moves the clock `days` from where it started. */
  shift(days: number): void;
}

/**
 * A clock that starts at 10:00 Asia/Shanghai on `date` and runs on from there; `shift(days)` moves it `days` from
 * that start. Journeys whose notices run on the working-day calendar start on a fixed day of a year it holds, so
 * that they pass whatever the real date (a notice opened late in December would need next year's holidays).
 */
export function clockFrom(date: string): JourneyClock {
  const start = Date.parse(`${date}T02:00:00.000Z`);
  const began = Date.now();
  let offset = 0;
  return { now: () => new Date(start + (Date.now() - began) + offset), shift: (days) => (offset = days * 86_400_000) };
}

/** The server a journey drives: its own process, or, with a clock, an app in this process on that clock. */
export type JourneyServer = Pick<ServerProcess, 'url' | 'stop'>;

/** The app in this process, as src/server.ts builds it but on `clock`. */
async function startInProcess(env: NodeJS.ProcessEnv, clock: Clock): Promise<JourneyServer> {
  const config = loadConfig(env);
  const db = createDatabase(config.DATABASE_URL);
  await migrateToLatest(db);
  const http = createServer(createApp({ db, config, logger: createLogger('silent'), clock }));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await db.destroy();
    },
  };
}

export interface Journey {
  server: JourneyServer;
  /** The server's DATABASE_URL (a SQLite file), for the CLIs a journey runs. */
  databaseUrl: string;
  browser: Browser;
  /** Messages the pages logged as errors (a CSP violation, an uncaught exception): a journey ends with none. */
  pageErrors: string[];
  newPage(): Promise<Page>;
  /** Opens a one-time sign-in link (`#code=`) for these claims and waits for the signed-in header; the token. */
  signIn(page: Page, claims: Claims, path?: string): Promise<string>;
  /** A GET of the public API with this token. */
  api<T>(token: string, path: string): Promise<T>;
  /** A POST of the public API with this token (the setup a journey starts from). */
  post<T>(token: string, path: string, body?: unknown): Promise<T>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startJourney(options: { clock?: JourneyClock } = {}): Promise<Journey> {
  const dir = mkdtempSync(join(tmpdir(), 'vl-browser-'));
  writeFileSync(join(dir, 'key.pem'), generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const databaseUrl = join(dir, 'ledger.db');
  const env = serviceEnvironment(databaseUrl, join(dir, 'key.pem'));
  const server = options.clock ? await startInProcess(env, options.clock) : await startServer(env);
  // Sign-in codes are stored as `npm run token -- --console` stores them, without a process per sign-in.
  let db: Db | undefined;
  const codes = () => createSignInCodeService({ db: (db ??= createDatabase(databaseUrl)), clock: options.clock ?? systemClock });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const pageErrors: string[] = [];
  mkdirSync(artifacts, { recursive: true });
  return {
    server,
    databaseUrl,
    browser,
    pageErrors,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of (4\d\d)/.test(message.text()))
          pageErrors.push(message.text());
      });
      return page;
    },
    async signIn(page, claims, path = '') {
      const token = await mintToken(claims);
      const { code } = await codes().issue(token);
      await page.goto(`${server.url}/console/${path}#code=${code}`);
      await page.getByTestId('signed-in-role').waitFor();
      return token;
    },
    async api<T>(token: string, path: string) {
      const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async post<T>(token: string, path: string, body?: unknown) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async screenshot(page, name) {
      mkdirSync(artifacts, { recursive: true });
      // A drawer or dialog still sliding in would be caught half-way: wait for every CSS animation to end.
      // (A function, not a string: a string with an arrow in it is evaluated with eval, which the console's CSP refuses.)
      const animationsEnded = () => (globalThis as unknown as PageWindow).document.getAnimations().every((animation) => animation.playState !== 'running');
      await page.waitForFunction(animationsEnded, undefined, { timeout: 5_000 }).catch(() => undefined);
      const file = join(artifacts, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      // Whatever is still open (a failed journey's page) is kept for a look.
      for (const [index, page] of context.pages().entries())
        await page.screenshot({ path: join(artifacts, `open-page-${process.pid}-${index}.png`), fullPage: true }).catch(() => undefined);
      await browser.close();
      await db?.destroy();
      await server.stop();
    },
  };
}

/** Today in Asia/Shanghai, the server's "today" (the journeys run on the real clock, unless given one). */
export const todayInShanghai = (clock: Clock = systemClock) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(clock.now());

export interface LedgerPage {
  entries: { seq: number; type: string; data: Record<string, unknown>; postings: { account: string; amount: string }[]; hash: string }[];
}
