import { canonicalJson, GENESIS_HASH, hashAuditEvent, type HashedEventContent } from './audit-hash';

const event = (overrides: Partial<HashedEventContent> = {}): HashedEventContent => ({
  seq: '1',
  occurredAt: new Date('2026-03-04T05:06:07.089Z'),
  actorId: 'person-1',
  action: 'document.signed',
  subjectType: 'document',
  subjectId: 'nda',
  details: { version: '1.0', nested: { b: 1, a: [2, { d: 4, c: 3 }] } },
  requestId: 'req-1',
  prevHash: GENESIS_HASH,
  ...overrides,
});

describe(canonicalJson.name, () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,1]},"b":1}',
    );
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe(hashAuditEvent.name, () => {
  it('is stable regardless of key order', () => {
    const reordered = event({
      details: { nested: { a: [2, { c: 3, d: 4 }], b: 1 }, version: '1.0' },
    });
    expect(hashAuditEvent(reordered)).toBe(hashAuditEvent(event()));
  });

  it.each<[string, Partial<HashedEventContent>]>([
    ['seq', { seq: '2' }],
    ['occurredAt', { occurredAt: new Date('2026-03-04T05:06:07.090Z') }],
    ['actorId', { actorId: 'person-2' }],
    ['action', { action: 'document.viewed' }],
    ['subjectId', { subjectId: 'policy' }],
    ['details', { details: { version: '1.1' } }],
    ['requestId', { requestId: null }],
    ['ip', { ip: '192.0.2.10' }],
    ['userAgent', { userAgent: 'Mozilla/5.0' }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
  ])('changes when %s changes', (_field, change) => {
    expect(hashAuditEvent(event(change))).not.toBe(hashAuditEvent(event()));
  });

  it('tells an ip from a user agent of the same value', () => {
    expect(hashAuditEvent(event({ ip: 'x' }))).not.toBe(hashAuditEvent(event({ userAgent: 'x' })));
  });

  // Events written before ip and userAgent existed were hashed without those keys; they must
  // still verify. The literal was computed from the content alone, before the columns existed.
  it.each<[string, Partial<HashedEventContent>]>([
    ['absent', {}],
    ['null', { ip: null, userAgent: null }],
  ])('hashes as before when ip and userAgent are %s', (_how, change) => {
    expect(hashAuditEvent(event(change))).toBe(
      'a70eb6c0ff9e04f5b0d717c0317579defa8070f3d045ce2bc213133a5ec0bfbc',
    );
  });
});
