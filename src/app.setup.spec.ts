import { proxyWarning } from './app.setup';
import type { AppConfig } from './config/app-config';

function config(overrides: Partial<AppConfig>): AppConfig {
  return {
    isProduction: true,
    publicUrl: 'https://attest.example.com',
    trustProxy: undefined,
    ...overrides,
  } as AppConfig;
}

describe(proxyWarning.name, () => {
  it('warns a production start over https that trusts no proxy', () => {
    expect(proxyWarning(config({}))).toMatch(/TRUST_PROXY is unset/);
  });

  it.each([
    ['a configured proxy', { trustProxy: 1 }],
    ['plain http', { publicUrl: 'http://attest.internal:3000' }],
    ['development', { isProduction: false }],
  ])('says nothing with %s', (_case, overrides: Partial<AppConfig>) => {
    expect(proxyWarning(config(overrides))).toBeUndefined();
  });
});
