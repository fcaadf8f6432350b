import { z } from 'zod';
import { type Documents, type Operation } from '../http/openapi.js';
import { VOUCHER_KINDS } from '../rules/policy.js';
import {
  HISTORY_ACTIONS,
  historyQuery,
  listProvidersQuery,
  PROVIDER_STATUSES,
  type ProviderRegistration,
  type ProviderView,
  providerParams,
  type RegistrationChange,
  registerProviderSchema,
  replaceProviderSchema,
  statusChangeSchema,
} from './providers.schemas.js';

const tag = 'Provider register';

export const registrationSchema = z
  .strictObject({
    uscc: z.string(),
    region: z.string(),
    name: z.string(),
    bankAccount: z.strictObject({ bankName: z.string(), accountName: z.string(), accountNumber: z.string() }),
    services: z.array(z.strictObject({ code: z.string(), name: z.string(), kind: z.enum(VOUCHER_KINDS), autonomous: z.boolean().nullable() })),
    status: z.enum(PROVIDER_STATUSES),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'ProviderRegistration' });
export type RegistrationDocumented = Documents<typeof registrationSchema, ProviderRegistration>;

const providerViewSchema = z.strictObject({ uscc: z.string(), registrations: z.array(registrationSchema) });
export type ProviderViewDocumented = Documents<typeof providerViewSchema, ProviderView>;

const changeSchema = z.strictObject({
  uscc: z.string(),
  region: z.string(),
  version: z.number().int(),
  action: z.enum(HISTORY_ACTIONS),
  actor: z.strictObject({ sub: z.string(), role: z.string(), region: z.string() }),
  recordedAt: z.string(),
  reason: z.string().nullable(),
  registration: registrationSchema,
});
export type ChangeDocumented = Documents<typeof changeSchema, RegistrationChange>;

const issuerScope = "an issuer of the registration's region";
const readers = {
  roles: ['issuer', 'auditor', 'provider'] as ('issuer' | 'auditor' | 'provider')[],
  scope: 'issuers and auditors: registrations in, below or above their region; the provider itself',
};

export const providersOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/providers',
    tag,
    summary: "Register a provider in the issuer's region",
    access: { roles: ['issuer'], scope: 'its own region' },
    body: registerProviderSchema,
    write: true,
    responses: { 201: { description: 'the registration', schema: registrationSchema } },
    problems: ['provider_already_registered'],
  },
  {
    method: 'get',
    path: '/v1/providers',
    tag,
    summary: "A region's provider register",
    access: { roles: ['issuer', 'auditor'], scope: "a region within the caller's (default its own)" },
    query: listProvidersQuery,
    responses: {
      200: {
        description: 'the register of that region and the regions below it',
        schema: z.strictObject({ region: z.string(), registrations: z.array(registrationSchema) }),
      },
    },
    problems: [],
  },
  {
    method: 'put',
    path: '/v1/providers/:uscc',
    tag,
    summary: 'Replace a registration',
    access: { roles: ['issuer'], scope: issuerScope },
    params: providerParams,
    body: replaceProviderSchema,
    write: true,
    responses: { 200: { description: 'the registration, its version + 1 (unchanged when nothing changed)', schema: registrationSchema } },
    problems: ['not_found'],
  },
  {
    method: 'post',
    path: '/v1/providers/:uscc/suspend',
    tag,
    summary: 'Suspend a registration',
    access: { roles: ['issuer'], scope: issuerScope },
    params: providerParams,
    body: statusChangeSchema,
    write: true,
    responses: { 200: { description: 'the registration, suspended', schema: registrationSchema } },
    problems: ['not_found', 'registration_already_suspended'],
  },
  {
    method: 'post',
    path: '/v1/providers/:uscc/reinstate',
    tag,
    summary: 'Reinstate a registration',
    access: { roles: ['issuer'], scope: issuerScope },
    params: providerParams,
    body: statusChangeSchema,
    write: true,
    responses: { 200: { description: 'the registration, active', schema: registrationSchema } },
    problems: ['not_found', 'registration_not_suspended'],
  },
  {
    method: 'get',
    path: '/v1/providers/:uscc',
    tag,
    summary: "A provider's registrations",
    access: readers,
    params: providerParams,
    responses: { 200: { description: 'the registrations the caller may read', schema: providerViewSchema } },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v1/providers/:uscc/history',
    tag,
    summary: "A provider's registration history",
    access: readers,
    params: providerParams,
    query: historyQuery,
    responses: { 200: { description: 'every change, oldest first per region', schema: z.strictObject({ uscc: z.string(), changes: z.array(changeSchema) }) } },
    problems: ['not_found'],
  },
];
