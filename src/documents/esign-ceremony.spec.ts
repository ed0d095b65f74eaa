import type { Principal } from '../access/principal';
import type { AuditService } from '../audit/audit.service';
import type { SessionsService } from '../auth/sessions/sessions.service';
import type { Clock } from '../common/clock';
import type { PeopleService } from '../people/people.service';
import type { DocumentVersion } from './document-version.entity';
import type { DocumentVersionRepository } from './document-version.repository';
import type { DocumentViewRepository } from './document-view.repository';
import {
  ConsentRequired,
  DocumentNotFound,
  DocumentVersionSuperseded,
  SigningInputInvalid,
} from './documents.errors';
import { EsignCeremony } from './esign-ceremony';
import type { EsignConsentRepository } from './esign-consent.repository';

const actor = { personId: 'person-1', sessionId: 'session-1' } as Principal;
const version = { id: 'v2', documentId: 'nda', version: '2.0.0' } as DocumentVersion;
const consentedAt = new Date('2026-11-30T09:00:00.000Z');
const viewedAt = new Date('2026-12-01T09:00:00.000Z');

function setup(state: { current?: string; consented?: boolean; viewed?: boolean } = {}) {
  const versions = {
    current: jest.fn(() =>
      Promise.resolve({ id: state.current ?? version.id, documentId: 'nda', version: '3.0.0' }),
    ),
    currentDisclosure: jest.fn(() => Promise.resolve({ id: 'disclosure-1' })),
  };
  const consents = {
    find: jest.fn(() =>
      Promise.resolve(
        state.consented === false
          ? null
          : {
              id: 'consent-1',
              disclosureVersion: '1.0.0',
              disclosureSha256: 'b'.repeat(64),
              consentedAt,
            },
      ),
    ),
  };
  const views = {
    find: jest.fn(() => Promise.resolve(state.viewed === false ? null : { viewedAt })),
  };
  const people = {
    findById: jest.fn(() =>
      Promise.resolve({
        id: 'person-1',
        fullName: 'Zoë Ørsted',
        email: 'zoe@corp.example',
        employeeNumber: null,
      }),
    ),
  };
  const sessions = {
    findById: jest.fn(() =>
      Promise.resolve({
        id: 'session-1',
        idpEntityId: 'https://idp.example',
        nameId: 'zoe@corp.example',
        authnInstant: null,
        mfa: true,
      }),
    ),
  };
  const sut = new EsignCeremony(
    versions as unknown as DocumentVersionRepository,
    consents as unknown as EsignConsentRepository,
    views as unknown as DocumentViewRepository,
    people as unknown as PeopleService,
    sessions as unknown as SessionsService,
    {} as AuditService,
    { now: () => new Date() } as Clock,
  );
  return { sut };
}

describe(EsignCeremony.name, () => {
  describe('preconditions', () => {
    it('gives the evidence of consent, the first view and the session’s SSO', async () => {
      const { sut } = setup();

      const evidence = await sut.preconditions(actor, version, {
        intent: true,
        typedName: '  ZOË   ørsted ',
      });

      expect(evidence).toEqual({
        signer: {
          personId: 'person-1',
          fullName: 'Zoë Ørsted',
          email: 'zoe@corp.example',
          employeeNumber: null,
        },
        consent: {
          id: 'consent-1',
          disclosureVersion: '1.0.0',
          disclosureSha256: 'b'.repeat(64),
          consentedAt,
        },
        viewedAt,
        sso: {
          sessionId: 'session-1',
          authMethod: 'saml',
          idpEntityId: 'https://idp.example',
          nameId: 'zoe@corp.example',
          authnInstant: null,
          mfa: true,
        },
      });
    });

    it('refuses a version that has been superseded, naming the current one', async () => {
      const { sut } = setup({ current: 'v3' });

      const attempt = sut.preconditions(actor, version, { intent: true, typedName: 'Zoë Ørsted' });

      await expect(attempt).rejects.toThrow(DocumentVersionSuperseded);
      await expect(attempt).rejects.toThrow(/version 3\.0\.0/);
    });

    it('asks for consent to electronic records first (ESIGN §7001(c))', async () => {
      const { sut } = setup({ consented: false });

      await expect(
        sut.preconditions(actor, version, { intent: true, typedName: 'Zoë Ørsted' }),
      ).rejects.toThrow(ConsentRequired);
    });

    it('refuses a version the person never opened', async () => {
      const { sut } = setup({ viewed: false });

      await expect(
        sut.preconditions(actor, version, { intent: true, typedName: 'Zoë Ørsted' }),
      ).rejects.toThrow(DocumentNotFound);
    });

    it('names every fixable problem at once: the intent unticked and another name typed', async () => {
      const { sut } = setup();

      const error = await sut
        .preconditions(actor, version, { intent: false, typedName: 'Zoe Orsted' })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SigningInputInvalid);
      expect((error as SigningInputInvalid).problems).toHaveLength(2);
    });
  });
});
