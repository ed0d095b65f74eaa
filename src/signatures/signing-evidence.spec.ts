import { createHash } from 'node:crypto';
import type { Session } from '../auth/sessions/session.entity';
import { documentIntent, normalisedName, ssoEvidenceOf } from './signing-evidence';

describe(normalisedName.name, () => {
  it('ignores case and extra spaces, not letters', () => {
    expect(normalisedName('  ZOË   ørsted ')).toBe(normalisedName('Zoë Ørsted'));
    // A decomposed ë (e + combining diaeresis) is the same name.
    expect(normalisedName('Zoe\u0308 Ørsted')).toBe(normalisedName('Zoë Ørsted'));
    expect(normalisedName('Zoe Orsted')).not.toBe(normalisedName('Zoë Ørsted'));
  });
});

describe(documentIntent.name, () => {
  it('hashes the exact statement', () => {
    const intent = documentIntent('NDA', '1.0.0');
    expect(intent.text).toBe('I have read and agree to the NDA, version 1.0.0.');
    expect(intent.sha256).toBe(createHash('sha256').update(intent.text).digest('hex'));
    expect(documentIntent('NDA', '1.0.1').sha256).not.toBe(intent.sha256);
  });
});

describe('ssoEvidenceOf', () => {
  const session = (authMethod: string) =>
    ({
      id: 's-1',
      authMethod,
      idpEntityId: 'https://op.example.com',
      nameId: 'op-user-1',
      authnInstant: null,
      mfa: true,
    }) as unknown as Session;

  it('carries the sign-in protocol into the signature, SAML for sessions from before it', () => {
    expect(ssoEvidenceOf(session('oidc')).authMethod).toBe('oidc');
    expect(ssoEvidenceOf(session('saml')).authMethod).toBe('saml');
    // A session can never claim the one-time link's method: only the link service gives it.
    expect(ssoEvidenceOf(session('link')).authMethod).toBe('saml');
  });
});
