// The console's static files: a hashed asset is served immutable, a missing one is a 404 problem (not the
// app's page, and not a 400), whether or not the console is built.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { consoleRouter } from '../../src/http/console.js';
import { toProblem } from '../../src/http/problems.js';

function appServing(directory: string) {
  const app = express();
  app.use(consoleRouter(directory));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const problem = toProblem(err);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  return app;
}

describe('console assets', () => {
  const built = mkdtempSync(join(tmpdir(), 'vl-console-'));
  mkdirSync(join(built, 'assets'));
  writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log(1)');

  it('serves a built asset for a year, and answers a missing one 404 not_found', async () => {
    const app = appServing(built);
    const asset = await request(app).get('/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/console/assets/index-old999.js', '/console/assets/nested/x.css', '/console/assets/'])
      expect((await request(app).get(path)).body, path).toMatchObject({ status: 404, code: 'not_found' });
    // a deep link of the app is still the app
    expect((await request(app).get('/console/programs/prg_1')).text).toContain('<title>console</title>');
  });

  it('answers 404 for an asset when the console is not built at all', async () => {
    const app = appServing(join(built, 'not-built'));
    expect((await request(app).get('/console/assets/index-abc123.js')).body).toMatchObject({ status: 404, code: 'not_found' });
  });
});
