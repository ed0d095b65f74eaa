import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import { type ApiToken, ApiTokenRole } from './api-token.entity';
import type { ApiTokenRepository, NewApiToken } from './api-token.repository';
import { ApiTokenInputInvalid } from './api-tokens.errors';
import { ApiTokensService, hashApiToken } from './api-tokens.service';

const NOW = new Date('2026-06-15T12:00:00.000Z');

describe(ApiTokensService.name, () => {
  let stored: ApiToken | undefined;
  let sut: ApiTokensService;

  beforeEach(() => {
    stored = undefined;
    const repository = {
      create: jest.fn(async (token: NewApiToken, now: Date) => {
        stored = { ...token, id: 't1', createdAt: now } as ApiToken;
        return stored;
      }),
      findByHash: jest.fn(async (hash: string) => (stored?.tokenHash === hash ? stored : null)),
      touch: jest.fn(async () => {}),
    } as unknown as ApiTokenRepository;
    const audit = { record: jest.fn(async () => ({})) } as unknown as AuditService;
    sut = new ApiTokensService(repository, audit, { now: () => NOW } as Clock);
  });

  it('issues att_ + 32 random bytes in base64url and stores only its SHA-256', async () => {
    const { secret, token } = await sut.create('cli', {
      name: 'Acme',
      role: 'integration',
      expires: '90d',
    });
    expect(secret).toMatch(/^att_[A-Za-z0-9_-]{43}$/);
    expect(stored!.tokenHash).toBe(hashApiToken(secret));
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
    expect(token).toMatchObject({ name: 'acme', expiresAt: '2026-09-13T12:00:00.000Z' });
  });

  it.each([
    ['an unknown role', { name: 'x', role: 'admin' }],
    ['a bad name', { name: 'has spaces', role: 'integration' }],
    // integration:<name> must fit the audit log's 64-character actor column.
    ['a name over 48 characters', { name: 'a'.repeat(49), role: 'integration' }],
    ['a bad lifetime', { name: 'x', role: 'integration', expires: '3 months' }],
  ])('refuses %s', async (_case, input) => {
    await expect(sut.create('cli', input)).rejects.toThrow(ApiTokenInputInvalid);
  });

  it('accepts a 48-character name', async () => {
    const { token } = await sut.create('cli', { name: 'a'.repeat(48), role: 'integration' });
    expect(`integration:${token.name}`.length).toBeLessThanOrEqual(64);
  });

  it('authenticates a live token as integration:<name>', async () => {
    const { secret } = await sut.create('cli', { name: 'acme', role: 'integration' });
    expect(await sut.authenticate(secret)).toEqual({
      tokenId: 't1',
      name: 'acme',
      role: ApiTokenRole.Integration,
      actorId: 'integration:acme',
    });
    expect(await sut.authenticate(`${secret.slice(0, -1)}x`)).toBeUndefined();
  });

  it.each([
    ['revoked', { revokedAt: NOW }],
    ['expired', { expiresAt: NOW }],
  ])('refuses a %s token', async (_case, change) => {
    const { secret } = await sut.create('cli', { name: 'acme', role: 'integration' });
    Object.assign(stored!, change);
    expect(await sut.authenticate(secret)).toBeUndefined();
  });
});
