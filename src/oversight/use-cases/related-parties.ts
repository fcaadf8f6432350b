// Issuers declare groups of related enterprises (decision 0042): a fact about them, so it applies everywhere.
import { randomUUID } from 'node:crypto';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { relatedDeclaredEntry } from '../oversight.entries.js';
import type { RelatedGroup } from '../oversight.model.js';
import { insertRelatedGroup, listRelatedGroups } from '../oversight.repository.js';
import type { DeclareGroupInput, ListGroupsQuery, RelatedGroupView } from '../oversight.schemas.js';
import { relatedGroupView } from '../oversight.views.js';
import type { Issuer, OversightDeps } from './dependencies.js';

export async function declareGroup(deps: OversightDeps, input: DeclareGroupInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    execute: async (trx): Promise<RelatedGroupView> => {
      const now = deps.clock.now();
      const draft = {
        id: `rpg_${randomUUID()}`,
        region: ctx.actor.region,
        relation: input.relation,
        usccs: input.usccs,
        reason: input.reason,
        declaredAt: now.toISOString(),
        declaredBy: ctx.actor.sub,
      };
      const entry = await deps.ledger.append(trx, relatedDeclaredEntry(draft, ctx.actor), now);
      const group: RelatedGroup = { ...draft, ledgerSeq: entry.seq };
      await insertRelatedGroup(trx, group);
      return relatedGroupView(group);
    },
  });
}

export async function readGroups(deps: Pick<OversightDeps, 'db'>, query: ListGroupsQuery): Promise<Page<RelatedGroupView>> {
  const after = decodeCursor<[number]>('related-parties', query.cursor, 1);
  const rows = await listRelatedGroups(deps.db, query, after?.[0], query.limit + 1);
  return pageOf(
    rows,
    query.limit,
    'related-parties',
    (group) => [group.ledgerSeq],
    async (kept) => kept.map(relatedGroupView),
  );
}
