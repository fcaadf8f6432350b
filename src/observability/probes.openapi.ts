import { z } from 'zod';
import type { Operation } from '../http/openapi.js';

const tag = 'Operations';
const live = { 200: { description: 'the process is up (the database is not asked)', schema: z.strictObject({ status: z.literal('ok') }) } };

export const probesOperations: Operation[] = [
  { method: 'get', path: '/livez', tag, summary: 'Liveness', access: 'public', responses: live, problems: [] },
  { method: 'get', path: '/healthz', tag, summary: 'Liveness (alias of /livez)', access: 'public', responses: live, problems: [] },
  {
    method: 'get',
    path: '/readyz',
    tag,
    summary: 'Readiness: migrated and the database answers',
    access: 'public',
    responses: { 200: { description: 'ready', schema: z.strictObject({ status: z.literal('ready') }) } },
    problems: ['not_ready'],
  },
  {
    method: 'get',
    path: '/metrics',
    tag,
    summary: 'Prometheus metrics',
    description: 'Absent (`404`) in production when `METRICS_TOKEN` is not set.',
    access: 'metrics',
    responses: { 200: { description: 'Prometheus text exposition', schema: z.string(), contentType: 'text/plain' } },
    problems: ['not_found'],
  },
];
