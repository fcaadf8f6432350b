// Where a document's bytes are kept (decision 0039). On SQLite: files in a folder beside the database,
// `<folder>/<first two hex digits>/<sha256>`, each written to a temporary file in its final folder, synced and
// renamed into place before any row names it, so that a name only ever holds its whole content. On PostgreSQL:
// the document_contents table, written in the document's own transaction (a server's processes may run on
// several hosts, which share the database and not a folder).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { copyFile, mkdir, open, readFile, rm, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { type Db, engineOf } from '../db/database.js';
import { insertContent, readContent } from './documents.repository.js';

/** Bytes ready to be kept: their row's transaction calls `record` once it has inserted the row. */
export interface StagedContent {
  record(trx: Db): Promise<void>;
}

export interface ContentStore {
  /** Files: written under their hash (durably) now, before any row can name them. Database: read, for the row's transaction. */
  stage(sha256: string, path: string, size: number): Promise<StagedContent>;
  /** A stored document's bytes; an error when they are missing (a folder tampered with). */
  open(sha256: string): Promise<Readable>;
}

export function createContentStore(db: Db, config: Config): ContentStore {
  return engineOf(db).name === 'postgres' ? databaseStore(db) : fileStore(() => documentFolderOf(config));
}

function databaseStore(db: Db): ContentStore {
  return {
    async stage(sha256, path) {
      const content = await readFile(path);
      return { record: (trx) => insertContent(trx, sha256, content) };
    },
    async open(sha256) {
      const content = await readContent(db, sha256);
      if (!content) throw new Error(`document ${sha256} has no stored content`);
      return Readable.from([content]);
    },
  };
}

let memoryFolder: string | undefined;
/** An in-memory database's documents: a temporary folder of the process, removed when it exits. */
function processFolder(): string {
  if (memoryFolder === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'voucher-ledger-documents-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    memoryFolder = folder;
  }
  return memoryFolder;
}

/** DOCUMENT_DIR, or `documents/` beside the SQLite database file (a temporary folder for `:memory:`). */
export function documentFolderOf(config: Pick<Config, 'DOCUMENT_DIR' | 'DATABASE_URL'>): string {
  if (config.DOCUMENT_DIR !== undefined) return resolve(config.DOCUMENT_DIR);
  if (config.DATABASE_URL === ':memory:' || config.DATABASE_URL === '') return processFolder();
  return join(dirname(resolve(config.DATABASE_URL)), 'documents');
}

/** fsync a folder, so that a rename in it survives power loss (where the platform can sync a folder). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch (err) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}

const sizeOf = (path: string) =>
  stat(path).then(
    (stats) => stats.size,
    () => undefined,
  );

function fileStore(folderOf: () => string): ContentStore {
  const pathOf = (sha256: string) => join(folderOf(), sha256.slice(0, 2), sha256);
  return {
    async stage(sha256, path, size) {
      const target = pathOf(sha256);
      // The same name holds the same bytes: another upload of them (or one whose row was never written) left it.
      if ((await sizeOf(target)) !== size) {
        const folder = dirname(target);
        const made = await mkdir(folder, { recursive: true });
        const temporary = join(folder, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
        try {
          await copyFile(path, temporary);
          const handle = await open(temporary, 'r+');
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
          await rename(temporary, target);
        } catch (err) {
          await rm(temporary, { force: true });
          throw err;
        }
        await syncFolder(folder);
        // A folder made for it is an entry of its parent, synced too.
        if (made !== undefined) for (const parent of new Set([dirname(folder), dirname(made)])) await syncFolder(parent);
      }
      return { record: async () => undefined };
    },
    async open(sha256) {
      const handle = await open(pathOf(sha256), 'r');
      return handle.createReadStream();
    },
  };
}
