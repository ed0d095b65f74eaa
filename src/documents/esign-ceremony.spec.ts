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
import type { EsignCeremonyRepository } from './esign-ceremony.repository';
import type { EsignConsentRepository } from './esign-consent.repository';

const actor = { personId: 'person-1', sessionId: 'session-1' } as Principal;
const version = { id: 'v2', documentId: 'nda', version: '2.0.0' } as DocumentVersion;
const consentedAt = new Date('2026-11-30T09:00:00.000Z');
const viewedAt = new Date('2026-12-01T09:00:00.000Z');

const signer = {
  id: 'person-1',
  fullName: 'Zoë Ørsted',
  email: 'zoe@corp.example',
  employeeNumber: null,
};

function setup(state: { current?: string; consented?: boolean; viewed?: boolean } = {}) {
  const records = {
    factsFor: jest.fn(() =>
      Promise.resolve({
        current: { id: state.current ?? version.id, version: '3.0.0' },
        consent:
          state.consented === false
            ? null
            : {
                id: 'consent-1',
                disclosureVersion: '1.0.0',
                disclosureSha256: 'b'.repeat(64),
                consentedAt,
              },
        viewedAt: state.viewed === false ? null : viewedAt,
      }),
    ),
  };
  const people = { findById: jest.fn(() => Promise.resolve(signer)) };
  const sessions = {
    sessionOf: jest.fn(() =>
      Promise.resolve({
        id: 'session-1',
        idpEntityId: 'https://idp.example',
        nameId: 'zoe@corp.example',
        authnInstant: null,
        mfa: true,
        person: signer,
      }),
    ),
  };
  const sut = new EsignCeremony(
    {} as DocumentVersionRepository,
    {} as EsignConsentRepository,
    records as unknown as EsignCeremonyRepository,
    {} as DocumentViewRepository,
    people as unknown as PeopleService,
    sessions as unknown as SessionsService,
    {} as AuditService,
    { now: () => new Date() } as Clock,
  );
  return { sut, records, people, sessions };
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

    it('signs as the session’s person, read with the session, not looked up again', async () => {
      const { sut, records, people, sessions } = setup();

      await sut.preconditions(actor, version, { intent: true, typedName: 'Zoë Ørsted' });

      expect(records.factsFor).toHaveBeenCalledWith('person-1', version);
      expect(sessions.sessionOf).toHaveBeenCalledWith(actor);
      expect(people.findById).not.toHaveBeenCalled();
    });

    it('signs without a session when a signing link authenticated the signer', async () => {
      const { sut, people, sessions } = setup();
      const link = {
        sessionId: null,
        authMethod: 'link',
        idpEntityId: 'attest:signing-link',
        nameId: 'link-1',
        authnInstant: null,
        mfa: null,
      } as unknown as Parameters<typeof sut.preconditions>[3];

      const evidence = await sut.preconditions(
        actor,
        version,
        { intent: true, typedName: 'Zoë Ørsted' },
        link,
      );

      expect(sessions.sessionOf).not.toHaveBeenCalled();
      expect(people.findById).toHaveBeenCalledWith('person-1');
      expect(evidence.sso).toBe(link);
      expect(evidence.signer.fullName).toBe('Zoë Ørsted');
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
