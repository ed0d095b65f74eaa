// A real OpenID Provider (panva's oidc-provider) for the OIDC integration test, in its own
// process: oidc-provider is ESM and Koa-based, which ts-jest's module loader does not run.
// Prints one JSON line `{ "issuer": ... }` once it listens. Test-only controls live under
// /__test/: which account the next login signs in, and how to tamper with the next token
// response (to prove Attest refuses what openid-client must refuse).
// Plain JavaScript, run by node directly: type-aware rules have no types to check here.
/* oxlint-disable typescript/no-unsafe-argument */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const [redirectUri, clientId, clientSecret, keyClientJwk] = process.argv.slice(2);

const signing = await generateKeyPair('RS256', { extractable: true });
const forger = await generateKeyPair('RS256', { extractable: true });
const kid = 'attest-test-op';
const jwk = { ...(await exportJWK(signing.privateKey)), kid, alg: 'RS256', use: 'sig' };

const accounts = new Map();
/** @type {{ sub: string, acr?: string, amr?: string[] } | undefined} */
let nextLogin;
/** @type {'forge' | 'nonce' | 'aud' | 'expired' | undefined} */
let tamper;

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    // A second client that authenticates with a key instead (private_key_jwt, RFC 7523).
    ...(keyClientJwk
      ? [
          {
            client_id: `${clientId}-key`,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'private_key_jwt',
            jwks: { keys: [JSON.parse(keyClientJwk)] },
          },
        ]
      : []),
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['oidc-provider-test-cookie-key-0123456789'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    // As Okta and Entra ID do, every ID token says how and when the person authenticated.
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  acrValues: ['urn:example:mfa', 'urn:example:password'],
  // Claims requested by scope go into the ID token too, as most enterprise IdPs do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const claims = accounts.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, claims: () => ({ sub, ...claims }) };
  },
  // Consent is implied for this one first-party client: grant what it asks for.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope);
    grant.addOIDCClaims(['acr', 'amr', 'auth_time']);
    await grant.save();
    return grant;
  },
});

/** Re-signs the ID token of a token response as the test asked. */
async function tampered(idToken) {
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));
  let key = signing.privateKey;
  if (tamper === 'forge') key = forger.privateKey;
  if (tamper === 'nonce') payload.nonce = 'not-the-nonce-attest-sent';
  if (tamper === 'aud') payload.aud = 'another-client';
  if (tamper === 'expired') {
    payload.iat = Math.floor(Date.now() / 1000) - 7200;
    payload.exp = payload.iat + 600;
  }
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && tamper && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
    tamper = undefined;
  }
});

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const handle = provider.callback();
server.on('request', async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/__test/next-login') {
      const body = await readJson(req);
      accounts.set(body.sub, body.claims);
      nextLogin = { sub: body.sub, acr: body.acr, amr: body.amr };
      tamper = body.tamper;
      res.writeHead(204).end();
      return;
    }
    if (req.url?.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name !== 'login' || !nextLogin) {
        res.writeHead(400).end(`unexpected prompt ${details.prompt.name}`);
        return;
      }
      const { sub, acr, amr } = nextLogin;
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub, acr, amr, remember: false } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    handle(req, res);
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
