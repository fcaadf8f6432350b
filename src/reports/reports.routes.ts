import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { annualReportQuery } from './reports.schemas.js';
import { createReportsService } from './reports.service.js';
import { reportCsv, reportFileName, reportXlsx } from './reports.spreadsheet.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function reportsRouter(deps: Deps): Router {
  const reports = createReportsService(deps);
  return Router().get('/v1/reports/annual', async (req, res) => {
    const actor = actorAs(res, 'issuer', 'auditor');
    const query = parseRequest(annualReportQuery, req.query, 'query');
    const report = await reports.annual(query, actor);
    if (query.format === 'json') {
      res.json(report);
      return;
    }
    const table = query.table ?? 'regions';
    const name = query.format === 'xlsx' ? reportFileName(report, 'xlsx') : reportFileName(report, 'csv', table);
    res.set('Content-Disposition', `attachment; filename="${name}"`);
    if (query.format === 'xlsx') res.type(XLSX).send(await reportXlsx(report));
    else res.type('text/csv; charset=utf-8').send(reportCsv(report, table));
  });
}
