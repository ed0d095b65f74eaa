import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types';
import { PUBLIC_ROUTE } from '../../access/access.decorators';
import { configureHttp } from '../../app.setup';
import type { AppConfig } from '../../config/app-config';
import { DemoIdpController } from './demo-idp.controller';
import { demoIdpCertificate, DemoIdpModule, type DemoIdpOptions } from './demo-idp.module';
import { demoIdpSsoUrl } from './demo-idp.options';

const PUBLIC_URL = 'http://127.0.0.1:3999';

/** The form fields the page posts, read back from its HTML. */
function hiddenField(html: string, name: string): string | undefined {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

describe(DemoIdpController.name, () => {
  let dataDir: string;
  let options: DemoIdpOptions;
  let app: NestExpressApplication;
  let server: App;
  let sp: SAML;

  const samlRequest = async (saml = sp) =>
    new URL(await saml.getAuthorizeUrlAsync('relay-1', undefined, {})).searchParams.get(
      'SAMLRequest',
    )!;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'attest-demo-idp-http-'));
    options = {
      publicUrl: PUBLIC_URL,
      dataDir,
      spEntityId: `${PUBLIC_URL}/auth/saml/metadata`,
      acsUrl: `${PUBLIC_URL}/auth/saml/acs`,
    };
    const moduleRef = await Test.createTestingModule({
      imports: [DemoIdpModule.forRoot(options)],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    await configureHttp(app, { publicUrl: PUBLIC_URL } as AppConfig);
    await app.init();
    server = app.getHttpServer() as App;
    sp = new SAML({
      entryPoint: demoIdpSsoUrl(PUBLIC_URL),
      issuer: options.spEntityId,
      callbackUrl: options.acsUrl,
      audience: options.spEntityId,
      idpCert: await demoIdpCertificate(dataDir),
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      acceptedClockSkewMs: 60_000,
      validateInResponseTo: ValidateInResponseTo.always,
    });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('declares every route public', () => {
    const proto = DemoIdpController.prototype as unknown as Record<string, () => unknown>;
    const handlers = Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor');

    expect(handlers.map((name) => [name, Reflect.getMetadata(PUBLIC_ROUTE, proto[name])])).toEqual(
      handlers.map((name) => [name, true]),
    );
  });

  it('explains itself with an unmistakable demo banner', async () => {
    const res = await request(server).get('/demo-idp').expect(200);

    expect(res.text).toContain(
      'Demo identity provider — for local evaluation only, never used in production',
    );
    expect(res.text).toContain('href="/auth/saml/login"');
    expect(res.text).not.toMatch(/<script|style=/);
  });

  it('serves SAML metadata', async () => {
    const res = await request(server).get('/demo-idp/metadata').expect(200);

    expect(res.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(res.text).toContain(`entityID="${PUBLIC_URL}/demo-idp/metadata"`);
  });

  it('signs in through the persona page and an auto-submitted POST to the ACS', async () => {
    const page = await request(server)
      .get('/demo-idp/sso')
      .query({ SAMLRequest: await samlRequest(), RelayState: 'relay-1' })
      .expect(200);
    expect(page.text).toContain('Demo identity provider — for local evaluation only');
    expect(page.text).toContain('name="persona" value="auditor"');

    const post = await request(server)
      .post('/demo-idp/sso')
      .type('form')
      .send({
        SAMLRequest: hiddenField(page.text, 'SAMLRequest'),
        RelayState: hiddenField(page.text, 'RelayState'),
        persona: 'auditor',
      })
      .expect(200);

    expect(post.headers['cache-control']).toBe('no-store');
    expect(post.text).toContain(`<form id="saml-post" method="post" action="${options.acsUrl}">`);
    expect(post.text).toContain('<script src="/assets/auto-submit.js"></script>');
    expect(post.text).toContain('>Continue to Attest</button>');
    expect(hiddenField(post.text, 'RelayState')).toBe('relay-1');
    const { profile } = await sp.validatePostResponseAsync({
      SAMLResponse: hiddenField(post.text, 'SAMLResponse')!,
    });
    expect(profile?.['groups']).toEqual(['all-staff', 'attest-auditors']);
  });

  it('serves the auto-submit script under the strict CSP', async () => {
    const res = await request(server).get('/assets/auto-submit.js').expect(200);

    expect(res.text).toContain("getElementById('saml-post')");
  });

  it.each([
    ['an unknown persona', { persona: 'ceo' }, 'Choose one of the demo personas.'],
    ['no SAMLRequest', { SAMLRequest: undefined }, 'sign-in request is missing'],
    ['an oversized RelayState', { RelayState: 'x'.repeat(1025) }, 'RelayState is longer than 1 kB'],
  ])('answers 400 to a POST with %s', async (_case, change, message) => {
    const body = { SAMLRequest: await samlRequest(), persona: 'admin', ...change };

    const res = await request(server).post('/demo-idp/sso').type('form').send(body).expect(400);

    expect(res.text).toContain(message);
  });

  it('re-checks the posted request instead of trusting the persona page', async () => {
    const foreign = new SAML({ ...sp.options, issuer: 'https://evil.test/sp' });
    const body = { SAMLRequest: await samlRequest(foreign), persona: 'admin' };

    const res = await request(server).post('/demo-idp/sso').type('form').send(body).expect(400);

    expect(res.text).toContain('only signs in to this Attest');
    expect(res.text).not.toContain('SAMLResponse');
  });

  it('answers 400 to a GET whose request comes from another SP', async () => {
    const foreign = new SAML({ ...sp.options, issuer: 'https://evil.test/sp' });

    const res = await request(server)
      .get('/demo-idp/sso')
      .query({ SAMLRequest: await samlRequest(foreign) })
      .expect(400);

    expect(res.text).toContain('only signs in to this Attest');
    expect(res.text).not.toContain('name="persona"');
  });
});
