// The linter CI runs (npm run lint): import cycles and the boundaries between layers that must hold, with
// TypeScript's parser. Kept in .ci/ so that the repository's top level stays as it is.
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The features, whose services never import each other's: what two features share is a repository, a rule
 * or a small query module. (ledger/, transparency/, unit-of-work/ and its idempotency/ are the write path's infrastructure,
 * wired together in deps.ts; the composition root, deps.ts and http/, imports every service.)
 */
const FEATURES = [
  'applications',
  'beneficiaries',
  'console-sign-in',
  'contracts',
  'documents',
  'programs',
  'providers',
  'redemptions',
  'settlement',
  'vouchers',
  'webhooks',
];
const SERVICES_OF_OTHER_FEATURES = FEATURES.map((feature) => ({
  target: `./src/${feature}/**`,
  from: FEATURES.filter((other) => other !== feature).map((other) => `./src/${other}/*.service.ts`),
  message: "a feature does not import another feature's service: share a repository, a rule or a query module",
}));

/** Who may import what: each zone forbids its `target` files to import from `from` (less `except`). */
const BOUNDARIES = [
  ...SERVICES_OF_OTHER_FEATURES,
  {
    target: './src/http',
    from: './src',
    except: ['./http', './shared', './auth', './unit-of-work'],
    message: 'http/ is the toolkit routes use (validation, problems, OpenAPI types); the app that mounts the features is src/app/',
  },
  {
    target: ['./src/ledger', './src/unit-of-work'],
    from: ['./src/transparency', ...FEATURES.map((feature) => `./src/${feature}`)],
    message: 'the write path is wired in deps.ts: the ledger and the unit of work import neither the transparency log nor a feature',
  },
  {
    target: './src/verifier',
    from: ['./src', './db'],
    except: ['./verifier'],
    message: 'the verifier re-derives the ledger independently: it imports nothing of the service (decision 0008)',
  },
  {
    target: './src/rules',
    from: './src',
    except: ['./rules', './shared'],
    message: 'the rules are pure: no database, HTTP, clock or feature service',
  },
  {
    target: './src/*/rules/**',
    from: [
      './src/*/*.repository.ts',
      './src/*/*.service.ts',
      './src/*/*.routes.ts',
      './src/*/use-cases/**',
      './src/unit-of-work/**',
      './src/ledger/**',
      './src/transparency/**',
    ],
    message: "a feature's rules are pure decisions: they load nothing and record nothing (its use cases do)",
  },
  { target: './src/shared', from: './src', except: ['./shared'], message: 'shared/ is the bottom layer: it imports no feature' },
  { target: './src/db', from: './src', except: ['./db'], message: 'the database layer imports no feature' },
  { target: ['./src', './db'], from: ['./scripts', './test', './console'], message: 'the service never imports its tools, tests or console' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/client/schema.d.ts'] },
  {
    files: ['src/**/*.ts', 'db/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: {
      // Without a parser for .ts dependencies import-x sees no edges, and no cycle.
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones: BOUNDARIES }],
      'import-x/no-unresolved': ['error', { ignore: ['^node:'] }],
      // Express's Locals are extended by declaration merging, the one namespace the code declares.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
    },
  },
);
