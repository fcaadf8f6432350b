import { randomUUID } from 'node:crypto';
import type { ActorOf } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import { assertNotRelated } from '../oversight/oversight.guards.js';
import { checkRelatedParty } from '../rules/eligibility.js';
import { todayIn } from '../shared/clock.js';
import { DomainError, ruleError } from '../shared/errors.js';
import { formatFen } from '../shared/money.js';
import { decodeCursor, type Page, pageOf } from '../shared/pagination.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { Contract } from './contracts.model.js';
import { contractNumberTaken, findContract, insertContract, listContracts } from './contracts.repository.js';
import type { ContractView, ListContractsQuery, RegisterContractInput } from './contracts.schemas.js';

export function contractView(contract: Contract): ContractView {
  return {
    id: contract.id,
    number: contract.number,
    providerUscc: contract.providerUscc,
    beneficiaryUscc: contract.beneficiaryUscc,
    kind: contract.kind,
    ...(contract.autonomous === null ? {} : { autonomous: contract.autonomous }),
    amount: formatFen(contract.amount),
    signedOn: contract.signedOn,
    nationalKeyProject: contract.nationalKeyProject,
    netExecuted: formatFen(contract.netExecuted),
    netSubsidy: formatFen(contract.netSubsidy),
    voucherId: contract.voucherId,
    ...(contract.serviceCode === null ? {} : { serviceCode: contract.serviceCode }),
  };
}

export function createContractService(deps: Deps) {
  return {
    async register(input: RegisterContractInput, ctx: CommandContext<ActorOf<'provider'>>) {
      if (input.signedOn > todayIn(deps.clock)) throw DomainError.validation([{ field: 'signedOn', message: 'must not be in the future (Asia/Shanghai)' }]);
      const related = checkRelatedParty(ctx.actor.org, input.beneficiaryUscc);
      if (related) throw ruleError(related);
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        execute: async (trx) => {
          await assertNotRelated(trx, ctx.actor.org, input.beneficiaryUscc, 'beneficiaryUscc');
          if (await contractNumberTaken(trx, ctx.actor.org, input.number))
            throw new DomainError('duplicate_contract', `contract number ${input.number} is already registered by this provider`, { field: 'number' });
          const contract: Contract = {
            id: `ctr_${randomUUID()}`,
            providerUscc: ctx.actor.org,
            number: input.number,
            beneficiaryUscc: input.beneficiaryUscc,
            kind: input.kind,
            autonomous: input.autonomous ?? null,
            amount: input.amount,
            signedOn: input.signedOn,
            nationalKeyProject: input.nationalKeyProject === true,
            netExecuted: 0n,
            netSubsidy: 0n,
            voucherId: null,
            createdAt: deps.clock.now().toISOString(),
            serviceCode: input.serviceCode ?? null,
          };
          await insertContract(trx, contract);
          return contractView(contract);
        },
      });
    },

    async get(id: string, actor: ActorOf<'provider'>): Promise<ContractView> {
      const contract = await findContract(deps.db, id);
      if (!contract) throw DomainError.notFound('contract');
      if (contract.providerUscc !== actor.org) throw DomainError.forbidden('this contract belongs to another provider');
      return contractView(contract);
    },

    /** A page of the provider's own contracts, oldest first. */
    async list(query: ListContractsQuery, actor: ActorOf<'provider'>): Promise<Page<ContractView>> {
      const after = decodeCursor<[string, string]>('contracts', query.cursor, 2);
      const contracts = await listContracts(deps.db, actor.org, query, after, query.limit);
      return pageOf(
        contracts,
        query.limit,
        'contracts',
        (contract) => [contract.createdAt, contract.id],
        async (kept) => kept.map(contractView),
      );
    },
  };
}
