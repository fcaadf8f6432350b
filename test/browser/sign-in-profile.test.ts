// Signing in through a link printed by `npm run token -- --console` leaves no token in the addresses the browser
// keeps: Chromium, with a profile directory of its own, opens the link, is signed in, and is closed so that it
// writes its History, Sessions and the rest to disk; no file under the profile holds the JWT, its payload or its
// signature, except the tab's sessionStorage, which Chromium writes to `Default/Session Storage` for session
// restore (the console keeps the token there, as it always has). The link's address, one-time code included,
// is kept in History and Sessions like any address, which is why the code works once, within five minutes: by
// the time anyone reads it there it is spent (decision 0030).
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type ServerProcess, serviceEnvironment, startServer } from '../helpers/processes.js';
import { CHROMIUM } from './browser.js';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

/** The files that hold `secret`, as UTF-8 or as UTF-16 (how Chromium keeps some strings), searched as bytes. */
function filesHolding(files: string[], secret: string): string[] {
  const forms = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  return files.filter((file) => {
    const bytes = readFileSync(file);
    return forms.some((form) => bytes.includes(form));
  });
}

describe.skipIf(!existsSync(CHROMIUM))('console: a sign-in link leaves no token in the browser profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vl-profile-'));
  const databaseUrl = join(dir, 'ledger.db');
  const profile = join(dir, 'chromium-profile');
  let server: ServerProcess;
  beforeAll(async () => {
    writeFileSync(join(dir, 'key.pem'), generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    server = await startServer(serviceEnvironment(databaseUrl, join(dir, 'key.pem')));
  });
  afterAll(async () => server?.stop());

  const exchange = (code: string) =>
    fetch(`${server.url}/v1/console/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });

  it('signs in through the link; once Chromium has closed, no profile file holds the JWT; the code is spent', async () => {
    const printed = await runScript(
      ['scripts/token.ts', '--role', 'issuer', '--region', '330100', '--ttl', '24h', '--console', server.url],
      serviceEnvironment(databaseUrl, ''),
    );
    expect(printed.code, printed.output).toBe(0);
    const link = printed.output.trim();
    expect(link).toMatch(new RegExp(`^${server.url}/console/#code=[\\w-]{43}$`));
    expect(link).not.toMatch(/ey[\w-]+\.[\w-]+\.[\w-]+/);
    const code = link.slice(link.indexOf('#code=') + '#code='.length);

    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--no-sandbox'],
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 1000 },
    });
    let token: string;
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(link);
      await page.getByTestId('signed-in-role').waitFor();
      await expect(page.getByTestId('signed-in-role').innerText()).resolves.toBe('发放机构');
      expect(new URL(page.url()).pathname).toBe('/console/programs');
      expect(page.url()).not.toContain('code=');
      const stored = await page.evaluate<string[]>('Object.values(sessionStorage)');
      token = stored.find((value) => value.split('.').length === 3)!;
      expect(token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      // The console works with it: the programs page loads from the API.
      await page.getByRole('button', { name: '创建项目' }).waitFor();

      // The same link opened again, in another tab, is refused with a page that says what to do.
      const again = await context.newPage();
      await again.goto(link);
      const refused = again.getByTestId('sign-in-link-refused');
      await refused.waitFor();
      await expect(refused.innerText()).resolves.toContain('此登录链接已使用或已过期');
      expect(again.url()).not.toContain('code=');
      expect(await again.evaluate<number>('sessionStorage.length')).toBe(0);
      // Pasting a token still signs in.
      await again.getByLabel('访问令牌').fill(token);
      await again.getByRole('button', { name: '登录' }).click();
      await again.getByTestId('signed-in-role').waitFor();
    } finally {
      // Closing the browser is what makes it write its profile (History, Sessions, Preferences, …).
      await context.close();
    }

    const sessionStorageFiles = join(profile, 'Default', 'Session Storage') + '/';
    const files = filesUnder(profile).filter((file) => !file.startsWith(sessionStorageFiles));
    const names = files.map((file) => file.slice(profile.length + 1));
    expect(names).toContain(join('Default', 'History'));
    expect(names.some((name) => name.startsWith(join('Default', 'Sessions') + '/'))).toBe(true);
    const [, payload, signature] = token.split('.') as [string, string, string];
    expect(filesHolding(files, token)).toEqual([]);
    expect(filesHolding(files, payload)).toEqual([]);
    expect(filesHolding(files, signature)).toEqual([]);
    // What the profile keeps of the link opens nothing any more.
    const spent = await exchange(code);
    expect(spent.status).toBe(401);
    expect(((await spent.json()) as { code: string }).code).toBe('invalid_sign_in_code');
  });
});
