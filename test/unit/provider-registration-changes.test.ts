import { describe, expect, it } from 'vitest';
import type { ProviderRegistration } from '../../src/providers/providers.model.js';
import { assertStatusChange, draftOf, registrationAfter, replacementChanges } from '../../src/providers/providers.rules.js';
import { refusalOf } from '../helpers/settlement-values.js';

const registration: ProviderRegistration = {
  uscc: 'P',
  region: '330100',
  name: '杭州算力服务有限公司',
  bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
  services: [{ code: 'GPU-A', name: '国产算力 A', kind: 'compute', autonomous: true }],
  status: 'active',
  version: 2,
  createdAt: '2025-06-01T00:00:00.000Z',
  createdBy: 'issuer-a',
  updatedAt: '2025-07-01T00:00:00.000Z',
  updatedBy: 'issuer-b',
};

describe('a change of a registration', () => {
  it('the first is version 1, created and updated by whoever made it, when', () => {
    const first = registrationAfter(undefined, draftOf(registration), 'issuer-c', '2025-12-15T04:00:00.000Z');
    expect(first).toEqual({
      ...registration,
      version: 1,
      createdAt: '2025-12-15T04:00:00.000Z',
      createdBy: 'issuer-c',
      updatedAt: '2025-12-15T04:00:00.000Z',
      updatedBy: 'issuer-c',
    });
  });

  it('a later one keeps who created it and takes the next version; the members keep their order (the history stores it as JSON)', () => {
    const suspended = registrationAfter(registration, { ...draftOf(registration), status: 'suspended' }, 'issuer-c', '2025-12-15T04:00:00.000Z');
    expect(suspended).toMatchObject({ status: 'suspended', version: 3, createdAt: '2025-06-01T00:00:00.000Z', createdBy: 'issuer-a', updatedBy: 'issuer-c' });
    expect(Object.keys(suspended)).toEqual(Object.keys(registration));
  });

  it('a replacement that changes neither name, bank account nor services changes nothing', () => {
    expect(replacementChanges(registration, draftOf(registration))).toBe(false);
    expect(replacementChanges(registration, { ...draftOf(registration), name: '杭州算力' })).toBe(true);
    expect(
      replacementChanges(registration, { ...draftOf(registration), bankAccount: { ...registration.bankAccount, accountNumber: '1202020209900099999' } }),
    ).toBe(true);
  });

  it('refuses to suspend a suspended registration and to reinstate an active one', () => {
    expect(() => assertStatusChange(registration, 'suspended')).not.toThrow();
    expect(refusalOf(() => assertStatusChange(registration, 'active'))).toMatchObject({
      code: 'registration_not_suspended',
      message: "provider P's registration in region 330100 is not suspended",
    });
    expect(refusalOf(() => assertStatusChange({ ...registration, status: 'suspended' }, 'suspended'))).toMatchObject({
      code: 'registration_already_suspended',
    });
  });
});
