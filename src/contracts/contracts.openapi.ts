import type { Operation } from '../http/openapi.js';
import { pageSchema } from '../shared/pagination.js';
import { contractIdParams, contractViewSchema, listContractsQuery, registerContractSchema } from './contracts.schemas.js';

const tag = 'Contracts';

export const contractsOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/contracts',
    tag,
    summary: 'Register a contract',
    access: { roles: ['provider'], scope: 'as the contract’s provider' },
    body: registerContractSchema,
    write: true,
    responses: { 201: { description: 'the contract', schema: contractViewSchema } },
    problems: ['duplicate_contract', 'related_party'],
  },
  {
    method: 'get',
    path: '/v1/contracts',
    tag,
    summary: "List the provider's contracts",
    description: 'Oldest first, filtered by beneficiary USCC or the voucher a contract draws on.',
    access: { roles: ['provider'], scope: 'its own contracts' },
    query: listContractsQuery,
    paged: true,
    responses: { 200: { description: 'a page of contracts', schema: pageSchema(contractViewSchema).meta({ id: 'ContractPage' }) } },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/contracts/:id',
    tag,
    summary: 'Read a contract',
    access: { roles: ['provider'], scope: 'its own contracts' },
    params: contractIdParams,
    responses: { 200: { description: 'the contract', schema: contractViewSchema } },
    problems: ['not_found'],
  },
];
