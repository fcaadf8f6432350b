// The documentation kept honest (pure file reading): links resolve, named commands exist, the settings table is the
// config schema, the error-code table is the status map, decisions are cited by number and never issues, and the
// README stays short enough to read in ten minutes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { statusOf } from '../../src/http/problems.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(repo, path), 'utf8');

function walk(dir: string, accept: (path: string) => boolean): string[] {
  const found: string[] = [];
  for (const name of readdirSync(join(repo, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(join(repo, path)).isDirectory()) found.push(...walk(path, accept));
    else if (accept(path)) found.push(path);
  }
  return found;
}

/** README.md and every Markdown page under docs/, decision records included. */
const pages = ['README.md', ...walk('docs', (path) => path.endsWith('.md'))];

/** The text of a page outside fenced code blocks and inline code, where a link or a command is prose. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchor: formatting dropped, lowercased, punctuation but - and _ removed, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page's headings make, with GitHub's -1, -2 … for repeated headings. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const withoutCode = markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(match[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

describe('the documentation', () => {
  it('has every page a reader is sent to', () => {
    for (const page of [
      'docs/architecture.md',
      'docs/api.md',
      'docs/operations.md',
      'docs/security.md',
      'docs/auditing.md',
      'docs/rules.md',
      'docs/benchmarks.md',
      'docs/programs.md',
      'docs/settlement.md',
      'docs/reports-and-webhooks.md',
      'docs/console.md',
      'docs/development.md',
      'docs/decisions/README.md',
    ])
      expect(existsSync(join(repo, page)), page).toBe(true);
  });

  it('keeps the README under 220 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThan(220);
  });

  it('resolves every relative link to a file, and every #anchor to a heading of that file', () => {
    expect(slug('The rules (policy `zj-ai-2025`)')).toBe('the-rules-policy-zj-ai-2025');
    expect(slug('Closing a program, and oversight')).toBe('closing-a-program-and-oversight');
    expect(slug('Verify without us: the public log')).toBe('verify-without-us-the-public-log');
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const match of prose(read(page)).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        checked += 1;
        const [path, anchor] = target.split('#', 2) as [string, string | undefined];
        const file = path === '' ? page : relative(repo, resolve(repo, dirname(page), decodeURIComponent(path)));
        if (!existsSync(join(repo, file))) {
          broken.push(`${page}: ${target} (no file ${file})`);
          continue;
        }
        if (anchor !== undefined && !(file.endsWith('.md') && anchors(read(file)).has(anchor)))
          broken.push(`${page}: ${target} (no heading #${anchor} in ${file})`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });

  it('names only npm scripts that package.json has', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const missing: string[] = [];
    for (const page of pages)
      for (const match of read(page).matchAll(/\bnpm run(?: -s)? ([a-z][\w-]*(?::[a-z][\w-]*)?)/g))
        if (!scripts.includes(match[1]!)) missing.push(`${page}: npm run ${match[1]}`);
    expect(missing).toEqual([]);
  });

  it("lists in operations.md's settings table exactly the variables of the config schema", () => {
    const config = read('src/config.ts');
    const schema = config.slice(config.indexOf('const configSchema'), config.indexOf('.superRefine', config.indexOf('const configSchema')));
    const keys = new Set([...schema.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!));
    expect(keys.size).toBeGreaterThan(20);

    const operations = read('docs/operations.md');
    const section = operations.slice(operations.indexOf('\n## Settings'));
    const table = section.slice(0, section.indexOf('\n## ', 1));
    const documented = new Set([...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((row) => [...row[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)));
    expect([...keys].filter((key) => !documented.has(key)).sort()).toEqual([]);
    expect([...documented].filter((key) => !keys.has(key)).sort()).toEqual([]);
  });

  describe("api.md's error-code table", () => {
    const api = read('docs/api.md');
    const section = api.slice(api.indexOf('\n## Error codes'));
    const rows = [...section.matchAll(/^\| (\d{3}) \| (.+?) \|/gm)].flatMap((row) =>
      [...row[2]!.matchAll(/`([a-z_]+)`/g)].map((m) => ({ status: Number(row[1]), code: m[1]! })),
    );
    const documented = new Map(rows.map((row) => [row.code, row.status]));

    it('has every code of the status map, and each row the status the service answers', () => {
      const problems = read('src/http/problems.ts');
      const map = problems.slice(problems.indexOf('const STATUS_BY_CODE'), problems.indexOf('};', problems.indexOf('const STATUS_BY_CODE')));
      const mapped = [...map.matchAll(/^ {2}([a-z_]+): \d{3},/gm)].map((m) => m[1]!);
      expect(mapped.length).toBeGreaterThan(30);
      expect(mapped.filter((code) => !documented.has(code))).toEqual([]);
      expect(rows.filter((row) => statusOf(row.code) !== row.status).map((row) => `${row.code}: ${row.status}, answered ${statusOf(row.code)}`)).toEqual([]);
    });

    it('has every code the source raises', () => {
      const raised = new Set<string>();
      for (const file of walk('src', (path) => path.endsWith('.ts') && !path.includes('/verifier/'))) {
        const text = read(file);
        for (const pattern of [/DomainError\(\s*'([a-z_]+)'/g, /violation\(\s*'([a-z_]+)'/g, /\bcode: '([a-z_]+)'/g])
          for (const m of text.matchAll(pattern)) if (m[1] !== 'custom') raised.add(m[1]!);
      }
      expect(raised.size).toBeGreaterThan(30);
      expect([...raised].filter((code) => !documented.has(code)).sort()).toEqual([]);
    });
  });

  it('cites decisions by number, never issues', () => {
    const cited: string[] = [];
    const roots = ['src', 'scripts', 'db', 'test', 'console/src', 'docs'];
    const files = [
      'README.md',
      ...roots.flatMap((root) => walk(root, (path) => /\.(ts|tsx|js|mjs|md|css|html|json|py|go)$/.test(path) && !path.endsWith('schema.d.ts'))),
    ];
    for (const file of files) {
      const lines = read(file).split('\n');
      lines.forEach((line, index) => {
        if (/\bissues? (?:no\.? ?)?#?\d+\b|\(#\d+\)|\bGH-\d+\b/i.test(line)) cited.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(cited).toEqual([]);
  });
});
