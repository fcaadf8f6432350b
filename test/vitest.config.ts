import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Every integration test runs on SQLite and, when TEST_DATABASE_URL names a PostgreSQL server, again on
// PostgreSQL from the same files (each run creates its own database and drops it afterwards).
const postgresUrl = process.env['TEST_DATABASE_URL'];
if (!postgresUrl)
  console.warn('PostgreSQL suite skipped: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run every integration test on PostgreSQL too.');

const integration = ['test/integration/**/*.test.ts', 'test/processes/**/*.test.ts'];

// The console's journeys drive Debian's Chromium (playwright-core, no downloaded browser); without it they are
// skipped, unless REQUIRE_BROWSER is set (CI), which makes a missing Chromium a failure.
const chromium = existsSync('/usr/bin/chromium');
if (!chromium && process.env['REQUIRE_BROWSER'])
  throw new Error('REQUIRE_BROWSER is set but /usr/bin/chromium is missing: apt-get install chromium fonts-noto-cjk');
if (!chromium) console.warn('Browser suite skipped: /usr/bin/chromium is not installed (apt-get install chromium fonts-noto-cjk).');

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/unit/**/*.test.ts', ...integration], env: { TEST_ENGINE: 'sqlite' } } },
      ...(chromium
        ? [
            {
              extends: true as const,
              test: {
                name: 'browser',
                include: ['test/browser/**/*.test.ts'],
                env: { TEST_ENGINE: 'sqlite' },
                globalSetup: ['test/browser/global-setup.ts'],
                testTimeout: 120_000,
                hookTimeout: 180_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: integration,
                env: { TEST_ENGINE: 'postgres' },
                globalSetup: ['test/helpers/postgres-global-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
