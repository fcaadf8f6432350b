import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { commandContext, sendResult } from '../http/command-context.js';
import { sendPage } from '../http/pagination.js';
import { parseRequest } from '../http/validate.js';
import { createWebhookService } from './webhooks.service.js';
import { createWebhookSchema, deliveryParams, listDeliveriesQuery, listWebhooksQuery, webhookIdParams } from './webhooks.schemas.js';

/**
 * Webhook subscriptions, their secrets' rotation and their delivery logs (decisions 0044, 0047): issuers, providers
 * and enterprises, each its own.
 */
export function webhooksRouter(deps: Deps): Router {
  const webhooks = createWebhookService(deps);
  const subscriber = (res: Parameters<typeof actorAs>[0]) => actorAs(res, 'issuer', 'provider', 'enterprise');
  return Router()
    .post('/v1/webhooks', async (req, res) => {
      const actor = subscriber(res);
      sendResult(res, await webhooks.subscribe(parseRequest(createWebhookSchema, req.body, 'body'), commandContext(req, actor)));
    })
    .get('/v1/webhooks', async (req, res) => {
      const actor = subscriber(res);
      sendPage(req, res, await webhooks.subscriptions(parseRequest(listWebhooksQuery, req.query, 'query'), actor));
    })
    .get('/v1/webhooks/:id', async (req, res) => {
      const actor = subscriber(res);
      res.json(await webhooks.subscription(parseRequest(webhookIdParams, req.params, 'params').id, actor));
    })
    .delete('/v1/webhooks/:id', async (req, res) => {
      const actor = subscriber(res);
      res.json(await webhooks.disable(parseRequest(webhookIdParams, req.params, 'params').id, actor));
    })
    .post('/v1/webhooks/:id/secret', async (req, res) => {
      const actor = subscriber(res);
      sendResult(res, await webhooks.rotateSecret(parseRequest(webhookIdParams, req.params, 'params').id, commandContext(req, actor)));
    })
    .get('/v1/webhooks/:id/deliveries', async (req, res) => {
      const actor = subscriber(res);
      const { id } = parseRequest(webhookIdParams, req.params, 'params');
      sendPage(req, res, await webhooks.deliveries(id, parseRequest(listDeliveriesQuery, req.query, 'query'), actor));
    })
    .post('/v1/webhooks/:id/deliveries/:deliveryId/redeliver', async (req, res) => {
      const actor = subscriber(res);
      const { id, deliveryId } = parseRequest(deliveryParams, req.params, 'params');
      res.json(await webhooks.redeliver(id, deliveryId, actor));
    });
}
