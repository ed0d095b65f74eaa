// The provider webhook: bearer tokens issued through ApiTokensService, every validation problem
// in one 422, and idempotent delivery.
import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { PERSONAS, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const URL = '/api/v1/background-checks/events';

describe('POST /api/v1/background-checks/events', () => {
  let t: TestApp;
  let integration: string;
  let auditorToken: string;
  let employee: { email: string; personId: string };
  let hrCookies: string[];

  const event = (overrides: Record<string, unknown> = {}) => ({
    providerName: 'acme-screening',
    providerReference: 'acme-0001',
    personEmail: employee.email,
    type: 'criminal_record',
    jurisdiction: 'US-CA',
    status: 'in_progress',
    occurredAt: '2026-06-01T09:00:00Z',
    ...overrides,
  });
  const send = (body: unknown, token = integration) =>
    request(t.server)
      .post(URL)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const historyOf = (checkId: unknown) =>
    t.db.query<{ from_status: string | null; to_status: string; actor_id: string }>(
      'select from_status, to_status, actor_id from background_check_event where check_id = $1 order by at',
      [checkId],
    );
  const auditCount = async () =>
    (
      await t.db.query<{ n: string }>(
        "select count(*)::text as n from audit_event where action like 'backgroundCheck.%'",
      )
    )[0].n;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    const tokens = t.app.get(ApiTokensService);
    integration = (await tokens.create('test', { name: 'acme', role: 'integration' })).secret;
    auditorToken = (await tokens.create('test', { name: 'audit-tool', role: 'auditor' })).secret;
    const persona = (name: string) => PERSONAS.find((p) => p.name === name)!;
    const signedIn = await signInAs(t, persona('employee'));
    employee = { email: persona('employee').signIn!.email, personId: signedIn.personId! };
    hrCookies = (await signInAs(t, persona('hr'))).cookies;
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['no token', undefined],
    ['an unknown token', `att_${'A'.repeat(43)}`],
    ['a malformed token', 'not-a-token'],
  ])('answers %s with 401 JSON', async (_case, token) => {
    const req = request(t.server).post(URL).send(event());
    const res = await (token ? req.set('Authorization', `Bearer ${token}`) : req);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      error: 'sign_in_required',
      message: expect.stringContaining('Bearer'),
    });
  });

  it('refuses a browser session: API routes take tokens only', async () => {
    const res = await request(t.server).post(URL).set('Cookie', hrCookies).send(event());
    expect(res.status).toBe(401);
  });

  it('refuses a token of another role with 403', async () => {
    expect((await send(event(), auditorToken)).status).toBe(403);
  });

  it('creates the check once; the same event again changes nothing', async () => {
    const first = await send(event({ adjudicationNotes: 'Pending county records' }));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      checkId: expect.any(String),
      status: 'in_progress',
      changed: true,
    });
    const audited = await auditCount();
    const [before] = await t.db.query('select * from background_check where id = $1', [
      first.body.checkId,
    ]);

    const again = await send(event({ adjudicationNotes: 'Pending county records' }));

    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, changed: false });
    const [after] = await t.db.query('select * from background_check where id = $1', [
      first.body.checkId,
    ]);
    expect(after).toEqual(before);
    expect(await historyOf(first.body.checkId)).toEqual([
      { from_status: null, to_status: 'in_progress', actor_id: 'integration:acme' },
    ]);
    expect(await auditCount()).toBe(audited);
  });

  it('records a transition, and ignores an older event that arrives late', async () => {
    const done = await send(event({ status: 'clear', occurredAt: '2026-06-05T10:00:00Z' }));
    expect(done.body).toMatchObject({ status: 'clear', changed: true });
    const late = await send(event({ status: 'invited', occurredAt: '2026-05-30T08:00:00Z' }));
    expect(late.body).toEqual({ checkId: done.body.checkId, status: 'clear', changed: false });
    expect(await historyOf(done.body.checkId)).toEqual([
      { from_status: null, to_status: 'in_progress', actor_id: 'integration:acme' },
      { from_status: 'in_progress', to_status: 'clear', actor_id: 'integration:acme' },
    ]);
    const [row] = await t.db.query<{ started_at: Date; completed_at: Date }>(
      'select started_at, completed_at from background_check where id = $1',
      [done.body.checkId],
    );
    expect(row.completed_at.toISOString()).toBe('2026-06-05T10:00:00.000Z');
    expect(row.started_at.toISOString()).toBe('2026-06-01T09:00:00.000Z');
  });

  it('refuses a reference that belongs to another type of check with 409', async () => {
    const res = await send(event({ type: 'education', status: 'invited' }));
    expect(res.status).toBe(409);
  });

  it('answers 422 listing every problem with its path', async () => {
    const res = await send({
      providerName: '',
      type: 'horoscope',
      jurisdiction: 'California',
      status: 'waived',
      occurredAt: 'last tuesday',
      unexpected: 1,
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'invalid_input', message: expect.any(String) });
    const paths = (res.body.details as { path: string; message: string }[]).map((d) => d.path);
    expect(paths.sort()).toEqual(
      [
        'body',
        'jurisdiction',
        'occurredAt',
        'personEmail',
        'providerName',
        'providerReference',
        'status',
        'type',
      ].sort(),
    );
    for (const detail of res.body.details) expect(detail.message).toEqual(expect.any(String));
  });

  it('answers 422 when no person matches', async () => {
    const res = await send(event({ personEmail: 'nobody@corp.example', providerReference: 'x-2' }));
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([{ path: 'personEmail', message: expect.any(String) }]);
  });

  it('refuses a body over the global 100 kB limit with 413', async () => {
    const res = await send(event({ adjudicationNotes: 'x'.repeat(110_000) }));
    expect(res.status).toBe(413);
  });

  it('refuses a token once it is revoked', async () => {
    await t.app.get(ApiTokensService).revoke('test', 'acme');
    expect((await send(event())).status).toBe(401);
  });
});
