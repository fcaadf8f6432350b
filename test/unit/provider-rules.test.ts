import { describe, expect, it } from 'vitest';
import { coveringRegions } from '../../src/providers/providers.repository.js';
import { checkRegisteredProvider, type RegisteredProviderFacts } from '../../src/providers/providers.rules.js';
import type { ProviderRegistration } from '../../src/providers/providers.schemas.js';

const registration = (over: Partial<ProviderRegistration> = {}): ProviderRegistration => ({
  uscc: 'P',
  region: '330100',
  name: '杭州算力服务有限公司',
  bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020109900012345' },
  services: [
    { code: 'GPU-A', name: '国产算力 A', kind: 'compute', autonomous: true },
    { code: 'GPU-B', name: '通用算力 B', kind: 'compute', autonomous: false },
    { code: 'CORPUS-1', name: '行业语料', kind: 'corpus', autonomous: null },
  ],
  status: 'active',
  version: 1,
  createdAt: '2025-12-15T04:00:00.000Z',
  createdBy: 'issuer-330100',
  updatedAt: '2025-12-15T04:00:00.000Z',
  updatedBy: 'issuer-330100',
  ...over,
});

const facts = (contract: Partial<RegisteredProviderFacts['contract']> = {}, reg: ProviderRegistration | null = registration()): RegisteredProviderFacts => ({
  programRegion: '330106',
  contract: { providerUscc: 'P', kind: 'compute', autonomous: true, serviceCode: 'GPU-A', ...contract },
  registration: reg ?? undefined,
});

const codeOf = (f: RegisteredProviderFacts) => checkRegisteredProvider(f)?.code ?? null;

describe('checkRegisteredProvider', () => {
  it('admits a compute contract naming a registered service of the same autonomy', () => {
    expect(checkRegisteredProvider(facts())).toBeNull();
    expect(checkRegisteredProvider(facts({ autonomous: false, serviceCode: 'GPU-B' }))).toBeNull();
  });

  it('refuses a provider without a registration covering the program, or a suspended one: provider_not_registered', () => {
    expect(checkRegisteredProvider(facts({}, null))).toEqual({
      code: 'provider_not_registered',
      detail: 'provider P is not registered in a region covering 330106',
    });
    expect(checkRegisteredProvider(facts({}, registration({ status: 'suspended' })))).toEqual({
      code: 'provider_not_registered',
      detail: "provider P's registration in region 330100 is suspended",
    });
  });

  it('refuses a compute contract without a serviceCode, with an unknown one, or one of another kind: service_not_registered', () => {
    expect(codeOf(facts({ serviceCode: null }))).toBe('service_not_registered');
    expect(codeOf(facts({ serviceCode: 'GPU-Z' }))).toBe('service_not_registered');
    expect(codeOf(facts({ serviceCode: 'CORPUS-1' }))).toBe('service_not_registered');
  });

  it('refuses a compute contract whose autonomy differs from its service: autonomy_mismatch', () => {
    expect(checkRegisteredProvider(facts({ autonomous: false, serviceCode: 'GPU-A' }))).toEqual({
      code: 'autonomy_mismatch',
      detail: 'the contract says autonomous false, but service GPU-A is registered with autonomous true',
    });
    expect(codeOf(facts({ autonomous: true, serviceCode: 'GPU-B' }))).toBe('autonomy_mismatch');
  });

  it('needs only the registration for a corpus or model contract that names no service, and checks one it names', () => {
    expect(codeOf(facts({ kind: 'corpus', autonomous: null, serviceCode: null }))).toBeNull();
    expect(codeOf(facts({ kind: 'corpus', autonomous: null, serviceCode: 'CORPUS-1' }))).toBeNull();
    expect(codeOf(facts({ kind: 'model', autonomous: null, serviceCode: 'CORPUS-1' }))).toBe('service_not_registered');
    expect(codeOf(facts({ kind: 'model', autonomous: null, serviceCode: null }, null))).toBe('provider_not_registered');
  });

  it('the first failing rule wins: registration before service, service before autonomy', () => {
    expect(codeOf(facts({ serviceCode: 'GPU-Z' }, registration({ status: 'suspended' })))).toBe('provider_not_registered');
    expect(codeOf(facts({ autonomous: false, serviceCode: 'GPU-Z' }))).toBe('service_not_registered');
  });
});

describe('coveringRegions', () => {
  it('lists a county, its prefecture and its province, most specific first, without repeats', () => {
    expect(coveringRegions('330106')).toEqual(['330106', '330100', '330000']);
    expect(coveringRegions('330100')).toEqual(['330100', '330000']);
    expect(coveringRegions('330000')).toEqual(['330000']);
  });
});
