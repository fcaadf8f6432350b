import { randomUUID } from 'node:crypto';
import type { ActorOf } from '../auth/actor.js';
import type { ContractRow } from '../db/schema.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { Deps } from '../deps.js';
import { DomainError, ruleError } from '../shared/errors.js';
import { checkRelatedParty } from '../rules/eligibility.js';
import { todayIn } from '../shared/clock.js';
import { formatFen } from '../shared/money.js';
import type { ContractView, ListContractsQuery, RegisterContractInput } from './contracts.schemas.js';
import { decodeCursor, type Page, pageOf } from '../shared/pagination.js';
import { findContract, findContractByNumber, insertContract, listContracts } from './contracts.repository.js';

export function contractView(contract: ContractRow): ContractView {
  return {
    id: contract.id,
    number: contract.number,
    providerUscc: contract.provider_uscc,
    beneficiaryUscc: contract.beneficiary_uscc,
    kind: contract.kind,
    ...(contract.autonomous === null ? {} : { autonomous: contract.autonomous }),
    amount: formatFen(contract.amount_fen),
    signedOn: contract.signed_on,
    nationalKeyProject: contract.national_key_project,
    netExecuted: formatFen(contract.net_executed_fen),
    netSubsidy: formatFen(contract.net_subsidy_fen),
    voucherId: contract.voucher_id,
    ...(contract.service_code === null ? {} : { serviceCode: contract.service_code }),
  };
}

export function createContractService(deps: Deps) {
  return {
    async register(input: RegisterContractInput, ctx: CommandContext<ActorOf<'provider'>>) {
      if (input.signedOn > todayIn(deps.clock))
        throw DomainError.validation([{ field: 'signedOn', message: 'must not be in the future (Asia/Shanghai)' }]);
      const related = checkRelatedParty(ctx.actor.org, input.beneficiaryUscc);
      if (related) throw ruleError(related);
      return deps.unitOfWork.run({ status: 201, context: ctx, execute: async (trx) => {
        if (await findContractByNumber(trx, ctx.actor.org, input.number))
          throw new DomainError('duplicate_contract', `contract number ${input.number} is already registered by this provider`, { field: 'number' });
        const contract: ContractRow = {
          id: `ctr_${randomUUID()}`,
          provider_uscc: ctx.actor.org,
          number: input.number,
          beneficiary_uscc: input.beneficiaryUscc,
          kind: input.kind,
          autonomous: input.autonomous ?? null,
          amount_fen: input.amount,
          signed_on: input.signedOn,
          national_key_project: input.nationalKeyProject === true,
          net_executed_fen: 0n,
          net_subsidy_fen: 0n,
          voucher_id: null,
          created_at: deps.clock.now().toISOString(),
          service_code: input.serviceCode ?? null,
        };
        await insertContract(trx, contract);
        return contractView(contract);
      } });
    },

    async get(id: string, actor: ActorOf<'provider'>): Promise<ContractView> {
      const contract = await findContract(deps.db, id);
      if (!contract) throw DomainError.notFound('contract');
      if (contract.provider_uscc !== actor.org) throw DomainError.forbidden('this contract belongs to another provider');
      return contractView(contract);
    },

    /** A page of the provider's own contracts, oldest first. */
    async list(query: ListContractsQuery, actor: ActorOf<'provider'>): Promise<Page<ContractView>> {
      const after = decodeCursor<[string, string]>('contracts', query.cursor, 2);
      const rows = await listContracts(deps.db, actor.org, query, after, query.limit);
      return pageOf(rows, query.limit, 'contracts', (row) => [row.created_at, row.id], async (kept) => kept.map(contractView));
    },
  };
}
