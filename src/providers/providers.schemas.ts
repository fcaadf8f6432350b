import { z } from 'zod';
import { VOUCHER_KINDS } from '../rules/policy.js';
import { regionSchema } from '../shared/region.js';
import { requiredText } from '../shared/text.js';
import { usccSchema } from '../shared/uscc.js';
import { PROVIDER_STATUSES, type ProviderRegistration } from './providers.model.js';

// The domain's types, where settlement and the tests have always imported them from.
export { HISTORY_ACTIONS, PROVIDER_STATUSES } from './providers.model.js';
export type { BankAccount, HistoryAction, ProviderRegistration, ProviderStatus, RegisteredService, RegistrationChange } from './providers.model.js';

/** A service code as contracts name it: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export const SERVICE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const serviceCodeSchema = z
  .string({ error: 'must be a service code string' })
  .regex(SERVICE_CODE, "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");

/** Mainland bank account numbers: digits only, 8 to 32 of them (corporate accounts are often 12 to 25). */
export const ACCOUNT_NUMBER = /^[0-9]{8,32}$/;

const bankAccountSchema = z.strictObject(
  {
    bankName: requiredText(100),
    accountName: requiredText(200),
    accountNumber: z.string({ error: 'must be a string of digits' }).regex(ACCOUNT_NUMBER, 'must be 8 to 32 digits, without spaces or separators'),
  },
  { error: 'must be an object {bankName, accountName, accountNumber}' },
);

const serviceSchema = z.strictObject(
  {
    code: serviceCodeSchema,
    name: requiredText(200),
    kind: z.enum(VOUCHER_KINDS, { error: `must be one of ${VOUCHER_KINDS.join(', ')}` }),
    autonomous: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { error: 'must be an object {code, name, kind, autonomous?}' },
);

const registrationBody = {
  name: requiredText(200),
  bankAccount: bankAccountSchema,
  services: z
    .array(serviceSchema, { error: 'must be an array of services' })
    .min(1, 'must list at least one service')
    .max(100, 'must list at most 100 services'),
};

type RegistrationBody = { services: { code: string; kind: string; autonomous?: boolean | undefined }[] };

/** Autonomy only where it decides the rate (compute), and each service code once per registration. */
function refineServices(input: RegistrationBody, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  input.services.forEach((service, i) => {
    if (service.kind === 'compute' && service.autonomous === undefined)
      ctx.addIssue({ code: 'custom', path: ['services', i, 'autonomous'], message: 'is required for a compute service' });
    if (service.kind !== 'compute' && service.autonomous !== undefined)
      ctx.addIssue({ code: 'custom', path: ['services', i, 'autonomous'], message: `must be absent for a ${service.kind} service` });
    const first = seen.get(service.code);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['services', i, 'code'], message: `repeats the code of services[${first}]` });
    else seen.set(service.code, i);
  });
}

export const registerProviderSchema = z.strictObject({ uscc: usccSchema, ...registrationBody }).superRefine(refineServices);
export type RegisterProviderInput = z.infer<typeof registerProviderSchema>;

export const replaceProviderSchema = z.strictObject(registrationBody).superRefine(refineServices);
export type ReplaceProviderInput = z.infer<typeof replaceProviderSchema>;

export const statusChangeSchema = z.strictObject({ reason: requiredText(500) });
export type StatusChangeInput = z.infer<typeof statusChangeSchema>;

export const providerParams = z.object({ uscc: usccSchema });

export const listProvidersQuery = z.strictObject({
  region: regionSchema.optional(),
  status: z.enum(PROVIDER_STATUSES, { error: `must be one of ${PROVIDER_STATUSES.join(', ')}` }).optional(),
});
export type ListProvidersQuery = z.infer<typeof listProvidersQuery>;

export const historyQuery = z.strictObject({ region: regionSchema.optional() });

export interface ProviderView {
  uscc: string;
  registrations: ProviderRegistration[];
}
