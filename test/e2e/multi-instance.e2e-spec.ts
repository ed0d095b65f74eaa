import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'selfsigned';
import request from 'supertest';
import { parseRedirectAuthnRequest } from '../../src/auth/saml/authn-request.parser';
import { formPostingTo } from '../helpers/html-forms';
import { AppProcess, cleanEnv, freePort, ROOT } from '../helpers/app-process';
import { binary } from '../helpers/page-readers';
import { hiddenCsrfToken } from '../helpers/role-sessions';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { sessionCookieOf, testIdpEnv, testIdpResponse } from '../helpers/test-idp';

const START_TIMEOUT_MS = 90_000;
const AUTH_RATE_LIMIT = 12;

/**
 * Two Attest processes on one PostgreSQL database, each with a data directory of its own, behind
 * nginx (Debian's package) as a round-robin load balancer. They share nothing but the database
 * and the configured secrets: sign-in state, sessions, CSRF, rate limits and the documents
 * they publish at start must behave as one installation's, also while one of them is stopped
 * and started again. Multi-instance needs a PostgreSQL server, so this runs on that tier only.
 */
const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onServer('two instances behind nginx (one PostgreSQL database)', () => {
  let db: TestDatabase;
  let work: string;
  let nginx: ChildProcess | undefined;
  let proxyUrl: string;
  const ports: number[] = [];
  const instances: (AppProcess | undefined)[] = [undefined, undefined];
  let env: (i: number) => NodeJS.ProcessEnv;

  function start(i: number): AppProcess {
    const app = new AppProcess(
      join(ROOT, 'node_modules', '.bin', 'node'),
      ['dist/main.js'],
      env(i),
    );
    instances[i] = app;
    return app;
  }

  async function stop(i: number): Promise<void> {
    const app = instances[i];
    instances[i] = undefined;
    if (!app) return;
    app.stop();
    await app.exited;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    work = mkdtempSync(join(tmpdir(), 'attest-multi-'));
    chmodSync(work, 0o755);
    ports.push(await freePort(), await freePort());
    const proxyPort = await freePort();
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const seal = await generate([{ name: 'commonName', value: 'Attest multi-instance seal' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    // What production gives every replica alike: the database, the public address, the
    // secrets and the seal. Everything else (DATA_DIR, the port) is the instance's own.
    const shared = {
      ...(await testIdpEnv()),
      DATABASE_URL: db.clientUrl,
      PUBLIC_URL: proxyUrl,
      TRUST_PROXY: 'loopback',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SIGNING_KEY: seal.private,
      SIGNING_CERT: seal.cert,
      AUTH_RATE_LIMIT: String(AUTH_RATE_LIMIT),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    };
    env = (i) => cleanEnv({ ...shared, DATA_DIR: join(work, `data-${i}`), PORT: String(ports[i]) });

    // Both start at once on an empty database: migrations and the document sync take turns.
    const apps = [start(0), start(1)];
    await Promise.all(
      apps.map((app, i) => app.waitFor(`http://127.0.0.1:${ports[i]}/readyz`, START_TIMEOUT_MS)),
    );

    const conf = join(work, 'nginx');
    mkdirSync(conf, { mode: 0o777 });
    chmodSync(conf, 0o777);
    writeFileSync(
      join(conf, 'nginx.conf'),
      `
user root root;
worker_processes 1;
daemon off;
pid ${conf}/nginx.pid;
error_log ${conf}/error.log warn;
events { worker_connections 256; }
http {
  log_format upstream '$http_x_test_phase $request_method $uri $status $upstream_addr';
  access_log ${conf}/access.log upstream;
  client_body_temp_path ${conf}/body;
  proxy_temp_path ${conf}/proxy;
  fastcgi_temp_path ${conf}/fastcgi;
  uwsgi_temp_path ${conf}/uwsgi;
  scgi_temp_path ${conf}/scgi;
  upstream attest {
    server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=2s;
  }
  server {
    listen 127.0.0.1:${proxyPort};
    client_max_body_size 30m;
    location / {
      proxy_pass http://attest;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502;
    }
  }
}
`,
    );
    nginx = spawn('/usr/sbin/nginx', ['-p', conf, '-c', join(conf, 'nginx.conf')], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 15_000;
    while (
      !(await fetch(`${proxyUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('nginx did not answer');
      await sleep(100);
    }
  }, 3 * START_TIMEOUT_MS);

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await Promise.all([stop(0), stop(1)]);
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /**
   * Which instance nginx sent each signature of a phase to, from its access log
   * (`$upstream_addr`). A request retried on the other instance lists both; the last answered.
   */
  function signaturePostsServedBy(phase: string): Set<number> {
    const lines = readFileSync(join(work, 'nginx', 'access.log'), 'utf8')
      .trim()
      .split('\n');
    const served = lines
      .filter((line) => line.startsWith(`${phase} POST /documents/`) && / \d+ \S+$/.test(line))
      .filter((line) => line.includes('/signatures '))
      .map((line) => Number(line.split(' ').at(-1)!.split(':').at(-1)));
    return new Set(served);
  }

  /** Signs in as `email` through nginx; every request may land on either instance. */
  async function signIn(email: string, client: string): Promise<string> {
    const login = await request(proxyUrl)
      .get('/auth/saml/login?returnTo=%2Fme')
      .set('X-Forwarded-For', client)
      .expect(302);
    const cookies = (login.headers['set-cookie'] as unknown as string[]).map(
      (c) => c.split(';')[0],
    );
    const samlRequest = new URL(login.headers.location as string).searchParams.get('SAMLRequest');
    const { id } = parseRedirectAuthnRequest(samlRequest ?? '');
    const built = await testIdpResponse(
      `${proxyUrl}/auth/saml/acs`,
      `${proxyUrl}/auth/saml/metadata`,
      id,
      { email, displayName: nameOf(email) },
    );
    const res = await request(proxyUrl)
      .post('/auth/saml/acs')
      .set('Cookie', cookies)
      .set('X-Forwarded-For', client)
      .type('form')
      .send({ SAMLResponse: built.base64 });
    const session = sessionCookieOf(res);
    if (res.status !== 303 || !session) {
      throw new Error(`sign-in through nginx failed with ${res.status}: ${res.text.slice(0, 300)}`);
    }
    return session;
  }

  function nameOf(email: string): string {
    const local = email.split('@')[0];
    return local
      .split('.')
      .map((part) => part[0].toUpperCase() + part.slice(1))
      .join(' ');
  }

  /** Consents, then signs the NDA through nginx, posting the form twice (a double submit). */
  async function signNda(
    session: string,
    email: string,
    client: string,
    phase: string,
  ): Promise<void> {
    const browse = (path: string) =>
      request(proxyUrl)
        .get(path)
        .set('Cookie', [session])
        .set('X-Forwarded-For', client)
        .set('Accept', 'text/html')
        .expect(200);
    const csrf = hiddenCsrfToken((await browse('/me')).text);
    const post = (path: string, form: Record<string, string>) =>
      request(proxyUrl)
        .post(path)
        .set('Cookie', [session])
        .set('X-Forwarded-For', client)
        .set('Accept', 'text/html')
        .set('X-Test-Phase', phase)
        .type('form')
        .send({ _csrf: csrf, ...form });
    await post('/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
    const nda = formPostingTo((await browse('/documents/nda')).text, /signatures$/);
    const form = { intent: 'yes', typedName: nameOf(email), submission: nda.hidden.submission };
    const [first, second] = await Promise.all([post(nda.action, form), post(nda.action, form)]);
    expect([first.status, second.status]).toContain(303);
  }

  it('started together on an empty database: migrated once, each document version published once', async () => {
    const [versions] = await db.query<{ all: number; distinct: number }>(
      'select count(*)::int as all, count(distinct (document_id, version))::int as distinct from document_version',
    );
    expect(versions.all).toBeGreaterThan(0);
    expect(versions.all).toBe(versions.distinct);
    const [published] = await db.query<{ n: number }>(
      "select count(*)::int as n from audit_event where action = 'document.published'",
    );
    expect(published.n).toBe(versions.all);
    const migrations = await db.query<{ name: string; n: number }>(
      'select name, count(*)::int as n from mikro_orm_migrations group by name having count(*) > 1',
    );
    expect(migrations).toEqual([]);
    const policies = readdirSync(join(ROOT, 'policies', 'documents')).filter((n) =>
      n.endsWith('.md'),
    );
    const [docs] = await db.query<{ n: number }>(
      "select count(distinct document_id)::int as n from document_version where source_path like 'documents/%'",
    );
    expect(docs.n).toBe(policies.length);
  });

  it('a session made on one instance is honoured by the other', async () => {
    const session = await signIn('ines.either@corp.example', '198.51.100.1');
    for (const port of ports) {
      const res = await request(`http://127.0.0.1:${port}`)
        .get('/me')
        .set('Cookie', [session])
        .set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Ines Either');
    }
  });

  it(
    'signs documents through nginx while one instance stops and starts again, each signature exactly once',
    async () => {
      const people = Array.from({ length: 9 }, (_, i) => `signer.number${i}@corp.example`);
      const sign = async (i: number, phase: string) => {
        const client = `198.51.100.${10 + i}`;
        await signNda(await signIn(people[i], client), people[i], client, phase);
      };
      for (const i of [0, 1, 2]) await sign(i, 'both');
      // Instance 1 goes away (a deploy, a crash): nginx sends everything to instance 0.
      await stop(1);
      for (const i of [3, 4, 5]) await sign(i, 'alone');
      // It comes back on the same port, and nginx balances over both again.
      await start(1).waitFor(`http://127.0.0.1:${ports[1]}/readyz`, START_TIMEOUT_MS);
      await sleep(2_500); // nginx's fail_timeout: the instance is tried again after it.
      for (const i of [6, 7, 8]) await sign(i, 'again');

      // Each signer posted twice at once; the balancing was real: both instances took
      // signatures before the stop and after the restart, and only instance 0 while 1 was down.
      await sleep(200); // nginx writes a request's log line once the response has gone out.
      expect(signaturePostsServedBy('both')).toEqual(new Set(ports));
      expect(signaturePostsServedBy('alone')).toEqual(new Set([ports[0]]));
      expect(signaturePostsServedBy('again')).toEqual(new Set(ports));

      const rows = await db.query<{ email: string; signatures: number; attestations: number }>(
        `select p.email, count(distinct s.id)::int as signatures, count(distinct a.id)::int as attestations
         from person p
         left join signature s on s.person_id = p.id and s.document_id = 'nda'
         left join attestation a on a.signature_id = s.id
        where p.email like 'signer.%'
        group by p.email order by p.email`,
      );
      expect(rows).toEqual(people.map((email) => ({ email, signatures: 1, attestations: 1 })));
    },
    4 * START_TIMEOUT_MS,
  );

  it('serves an export ZIP from either instance, whichever wrote it', async () => {
    // An auditor's API token, made with the CLI as an operator would.
    const made = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'node'),
      ['dist/cli/attest.js', 'token', 'create', '--role', 'auditor', '--name', 'multi-instance'],
      { cwd: ROOT, env: env(0), encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    // It is printed once, alone on the last line.
    const token = made.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^att_/);
    const api = (port: number) => request(`http://127.0.0.1:${port}`);
    const created = await api(ports[0])
      .post('/api/v1/exports')
      .set('Authorization', `Bearer ${token}`)
      .send({})
      .expect(202);
    const id = (created.body as { id: string }).id;
    let job: { status: string; sha256?: string } = { status: 'queued' };
    for (let i = 0; i < 240 && job.status !== 'done'; i++) {
      await sleep(250);
      job = (
        await api(ports[i % 2])
          .get(`/api/v1/exports/${id}`)
          .set('Authorization', `Bearer ${token}`)
          .expect(200)
      ).body as typeof job;
    }
    expect(job.status).toBe('done');
    for (const port of ports) {
      const zip = await api(port)
        .get(`/api/v1/exports/${id}/download`)
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(
        createHash('sha256')
          .update(zip.body as Buffer)
          .digest('hex'),
      ).toBe(job.sha256);
    }
    // Nothing was written to either instance's data directory: the ZIP is in the database.
    for (const i of [0, 1]) {
      expect(existsSync(join(work, `data-${i}`, 'exports', `${id}.zip`))).toBe(false);
    }
    const [chunks] = await db.query<{ n: number }>(
      'select count(*)::int as n from export_file_chunk where export_job_id = $1',
      [id],
    );
    expect(chunks.n).toBeGreaterThan(0);
  });

  it('holds the sign-in rate limit for the installation, not per instance', async () => {
    const client = '203.0.113.99';
    const statuses: number[] = [];
    // Alternate between the instances directly, as a round-robin balancer would.
    for (let i = 0; i < AUTH_RATE_LIMIT + 2; i++) {
      const res = await request(`http://127.0.0.1:${ports[i % 2]}`)
        .get('/auth/saml/login')
        .set('X-Forwarded-For', client);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, AUTH_RATE_LIMIT)).toEqual(Array(AUTH_RATE_LIMIT).fill(302));
    expect(statuses.slice(AUTH_RATE_LIMIT)).toEqual([429, 429]);
    // Another client behind the same proxy keeps its own budget.
    await request(proxyUrl)
      .get('/auth/saml/login')
      .set('X-Forwarded-For', '203.0.113.100')
      .expect(302);
  });
});
