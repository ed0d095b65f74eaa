import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import request from 'supertest';
import { Public } from '../../src/access/access.decorators';
import { createTestApp, type TestApp } from '../helpers/test-app';

const PERSONAL = {
  email: 'jane.doe@example.com',
  userAgent: 'JaneDoeBrowser/1.0',
  ip: '203.0.113.77',
  cookie: 'attest_session=abc123secret',
};

@Controller()
class ProbeController {
  @Public()
  @Get(['api/probe/boom', 'probe/boom'])
  boom(): never {
    throw new Error(`Key (email)=(${PERSONAL.email}) already exists`);
  }

  @Get('probe/undeclared')
  undeclared(): string {
    return 'this must never be served';
  }

  @Public()
  @Post('api/probe/echo')
  echo(@Body() body: unknown): { bytes: number } {
    return { bytes: JSON.stringify(body).length };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('the running application', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ extraModules: [ProbeModule] });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers the liveness and readiness probes', async () => {
    await request(t.server).get('/healthz').expect(200, { status: 'ok' });
    await request(t.server).get('/readyz').expect(200, { status: 'ready' });
  });

  it('renders the home page in the layout with strict security headers', async () => {
    const res = await request(t.server).get('/').set('Accept', 'text/html').expect(200);
    expect(res.text).toContain('<title>Welcome · Attest</title>');
    expect(res.text).toContain('href="/assets/app.css"');
    expect(res.text).not.toMatch(/<script|style=/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    await request(t.server)
      .get('/assets/app.css')
      .expect('Content-Type', /text\/css/)
      .expect(200);
  });

  it('gives every request an id, reusing a well-formed one from a proxy', async () => {
    const own = await request(t.server).get('/healthz');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const relayed = await request(t.server).get('/healthz').set('X-Request-Id', 'lb-0123456789');
    expect(relayed.headers['x-request-id']).toBe('lb-0123456789');
    const hostile = await request(t.server).get('/healthz').set('X-Request-Id', '<script>');
    expect(hostile.headers['x-request-id']).not.toBe('<script>');
  });

  it('answers an unknown page with HTML for browsers and JSON under /api', async () => {
    const page = await request(t.server).get('/nowhere').set('Accept', 'text/html').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Not found');
    const api = await request(t.server).get('/api/nowhere').expect(404);
    expect(api.body).toMatchObject({ status: 404, error: 'not_found' });
    expect(api.body.message).toMatch(/Check the address/);
  });

  it('refuses a route that declares no permission', async () => {
    const res = await request(t.server).get('/probe/undeclared').set('Accept', 'text/html');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('this must never be served');
  });

  it('shows a 500 without internals, with a reference that matches the log', async () => {
    const api = await request(t.server).get('/api/probe/boom').expect(500);
    expect(api.body).toMatchObject({ status: 500, error: 'server_error' });
    expect(JSON.stringify(api.body)).not.toMatch(/email|Key \(|at |\.ts/);
    expect(api.body.message).toContain(api.body.requestId);

    const page = await request(t.server).get('/probe/boom').set('Accept', 'text/html').expect(500);
    expect(page.text).toContain('Something went wrong');
    expect(page.text).not.toMatch(/Key \(|\.ts:\d+/);

    const logged = t.logs
      .entries()
      .find((e) => e.msg === 'unhandled error' && e.requestId === api.body.requestId);
    expect(logged).toMatchObject({ level: 50, err: { type: 'Error' } });
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = { data: 'x'.repeat(120 * 1024) };
    const res = await request(t.server).post('/api/probe/echo').send(big);
    expect(res.status).toBe(413);
    await request(t.server).post('/api/probe/echo').send({ data: 'ok' }).expect(201);
  });

  it('keeps personal data out of the logs, whatever the request carries', async () => {
    t.logs.lines.length = 0;
    await request(t.server)
      .get(`/nowhere?email=${encodeURIComponent(PERSONAL.email)}`)
      .set('User-Agent', PERSONAL.userAgent)
      .set('X-Forwarded-For', PERSONAL.ip)
      .set('Cookie', PERSONAL.cookie);
    await request(t.server)
      .post('/api/probe/echo')
      .set('User-Agent', PERSONAL.userAgent)
      .send({ email: PERSONAL.email, name: 'Jane Doe' });
    await request(t.server).get('/api/probe/boom').set('User-Agent', PERSONAL.userAgent);

    const text = t.logs.text;
    expect(t.logs.lines.length).toBeGreaterThanOrEqual(3);
    for (const value of [
      PERSONAL.email,
      'jane.doe',
      PERSONAL.userAgent,
      PERSONAL.ip,
      'abc123secret',
      'Jane Doe',
    ]) {
      expect(text).not.toContain(value);
    }
    for (const entry of t.logs.entries()) {
      expect(entry.requestId).toEqual(expect.any(String));
    }
  });

  it('recorded its start in the audit log', async () => {
    const rows = await t.db.query<{ action: string; actor_id: string }>(
      "select action, actor_id from audit_event where action = 'system.started'",
    );
    expect(rows).toEqual([{ action: 'system.started', actor_id: 'system' }]);
  });

  it('reports not ready, as JSON, once the database stops answering', async () => {
    await t.db.makeUnreachable();
    const res = await request(t.server).get('/readyz').expect(503);
    expect(res.body).toMatchObject({ status: 503, error: 'temporarily_unavailable' });
    await request(t.server).get('/healthz').expect(200);
  });
});
