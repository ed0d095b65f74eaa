import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttestInput, AttestationsService } from '../attestations/attestations.service';
import type { NewAuditEvent } from '../audit/audit-event.repository';
import type { AuditService } from '../audit/audit.service';
import type { AuditTrailReader } from '../audit/audit-trail.reader';
import type { StoredAuditEvent } from '../audit/stored-audit-event';
import type { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import type { DocumentVersion } from '../documents/document-version.entity';
import { RequirementKind, type RequirementRule } from '../requirements/requirement-rule';
import type { RequirementsService } from '../requirements/requirements.service';
import { type Acknowledgement, SignatureRecorder } from './signature-recorder';
import { type Signature, SignatureKind } from './signature.entity';
import type { NewSignature, SignatureRepository } from './signature.repository';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const RULE = {
  id: 'employee-nda',
  kind: RequirementKind.Document,
  subject: 'nda',
} as RequirementRule;

function acknowledgement(overrides: Partial<Acknowledgement> = {}): Acknowledgement {
  return {
    kind: SignatureKind.Document,
    signer: {
      personId: 'person-1',
      fullName: 'Zoë Ørsted',
      email: 'zoe@corp.example',
      employeeNumber: 'E1',
    },
    version: {
      id: 'version-1',
      documentId: 'nda',
      title: 'NDA',
      kind: 'nda',
      version: '1.0.0',
      effective: '2026-01-01',
      sha256: 'a'.repeat(64),
      body: '# NDA',
    } as DocumentVersion,
    consent: {
      id: 'consent-1',
      disclosureVersion: '1.0.0',
      disclosureSha256: 'b'.repeat(64),
      consentedAt: new Date('2026-11-30T09:00:00.000Z'),
    },
    viewedAt: new Date('2026-12-01T09:55:00.000Z'),
    sso: {
      sessionId: 'session-1',
      authMethod: 'saml',
      idpEntityId: 'https://idp.example',
      nameId: 'zoe@corp.example',
      authnInstant: null,
      mfa: true,
    },
    intent: { text: 'I agree.', sha256: 'c'.repeat(64) },
    typedName: '  Zoë   Ørsted ',
    submissionId: 'submission-1',
    context: { ip: '198.51.100.7', userAgent: 'Test/1.0' },
    ...overrides,
  };
}

function setup(options: { insertFails?: boolean } = {}) {
  const steps: string[] = [];
  const em = {
    flush: jest.fn(() => {
      steps.push('flush');
      return Promise.resolve();
    }),
    fork: () => em,
    transactional: <T>(work: (tx: EntityManager) => Promise<T>) =>
      work(em as unknown as EntityManager),
  };
  const earlier = { id: 'signature-0' } as Signature;
  const signatures = {
    append: jest.fn((_em: EntityManager, row: NewSignature) => {
      steps.push('signature');
      return options.insertFails
        ? Promise.reject(new UniqueConstraintViolationException(new Error('duplicate key')))
        : Promise.resolve({ ...row } as unknown as Signature);
    }),
    findEarlier: jest.fn(() => Promise.resolve(earlier)),
  };
  const requirements = {
    ruleFor: jest.fn(() => Promise.resolve(RULE)),
    completeIn: jest.fn(() => {
      steps.push('completion');
      return Promise.resolve();
    }),
    deriveIn: jest.fn(() => {
      steps.push('derive');
      return Promise.resolve({});
    }),
  };
  const attestations = {
    attestIn: jest.fn((_em: EntityManager, input: AttestInput) => {
      steps.push('attestation');
      return Promise.resolve({ id: input.evidence.attestationId, sha256: 'd'.repeat(64) });
    }),
  };
  const events: NewAuditEvent[] = [];
  const audit = {
    recordIn: jest.fn((_em: EntityManager, event: NewAuditEvent) => {
      steps.push(`audit:${event.action}`);
      events.push(event);
      return Promise.resolve({});
    }),
  };
  const chained = [
    {
      seq: '7',
      occurredAt: new Date('2026-11-30T09:00:00.000Z'),
      actorId: 'person-1',
      action: 'esign.consented',
      ip: null,
      userAgent: null,
      hash: 'e'.repeat(64),
    },
  ] as StoredAuditEvent[];
  const trail = { eventsIn: jest.fn(() => Promise.resolve(chained)) };
  const sut = new SignatureRecorder(
    em as unknown as EntityManager,
    signatures as unknown as SignatureRepository,
    requirements as unknown as RequirementsService,
    attestations as unknown as AttestationsService,
    audit as unknown as AuditService,
    trail as unknown as AuditTrailReader,
    { now: () => NOW } as Clock,
    { organisationName: 'Example Ltd' } as AppConfig,
  );
  return { sut, em, steps, signatures, requirements, attestations, audit, events, earlier };
}

describe(SignatureRecorder.name, () => {
  it('writes the signature, seals, then the completion and the signer’s re-derived assignments in the same transaction, and appends the audit event last', async () => {
    const { sut, steps, requirements } = setup();

    const outcome = await sut.record(acknowledgement());

    expect(outcome.created).toBe(true);
    expect(steps).toEqual([
      'signature',
      'attestation',
      'completion',
      'derive',
      'audit:document.signed',
    ]);
    expect(requirements.completeIn).toHaveBeenCalledWith(
      expect.anything(),
      'person-1',
      RULE,
      expect.objectContaining({ source: 'signature', subjectVersion: '1.0.0', completedAt: NOW }),
    );
    expect(requirements.deriveIn).toHaveBeenCalledWith(expect.anything(), ['person-1']);
  });

  it('keeps the typed name with its spacing tidied, and the signer is the acknowledgement’s', async () => {
    const { sut, signatures } = setup();

    await sut.record(acknowledgement());

    expect(signatures.append.mock.calls[0][1]).toMatchObject({
      personId: 'person-1',
      documentVersionId: 'version-1',
      typedName: 'Zoë Ørsted',
      sessionId: 'session-1',
      ip: '198.51.100.7',
      signedAt: NOW,
    });
  });

  it('hands attestations the evidence, with the chained trail and its own event still unchained', async () => {
    const { sut, attestations } = setup();

    await sut.record(acknowledgement());

    const { evidence, markdown } = attestations.attestIn.mock.calls[0][1];
    expect(markdown).toBe('# NDA');
    expect(evidence).toMatchObject({
      kind: 'signature',
      organisation: 'Example Ltd',
      document: { id: 'nda', version: '1.0.0' },
      signer: { personId: 'person-1', name: 'Zoë Ørsted', employeeNumber: 'E1' },
      signedAt: NOW.toISOString(),
    });
    expect(evidence.auditTrail.map((e) => [e.action, e.sequence, e.hash])).toEqual([
      ['esign.consented', 7, 'e'.repeat(64)],
      ['document.signed', null, null],
    ]);
  });

  it('puts the sealed PDF’s SHA-256 into the audit event, after the caller’s own events', async () => {
    const { sut, em, events } = setup();
    const attempted = { action: 'training.attempted', actorId: 'person-1' };

    await sut.recordIn(em as unknown as EntityManager, acknowledgement(), {
      rule: undefined,
      events: [attempted],
    });

    expect(events.map((e) => e.action)).toEqual(['training.attempted', 'document.signed']);
    expect(events[0]).toEqual(attempted);
    expect(events[1].details).toMatchObject({ attestationSha256: 'd'.repeat(64) });
  });

  it('completes nothing when no requirement asks for it', async () => {
    const { sut, em, requirements } = setup();

    await sut.recordIn(em as unknown as EntityManager, acknowledgement(), { rule: undefined });

    expect(requirements.completeIn).not.toHaveBeenCalled();
  });

  it('leaves the derivation to a bulk seeder that asks for it later', async () => {
    const { sut, em, requirements, steps } = setup();

    await sut.recordIn(em as unknown as EntityManager, acknowledgement(), {
      rule: RULE,
      deriveLater: true,
    });

    expect(requirements.deriveIn).not.toHaveBeenCalled();
    expect(steps).toContain('completion');
  });

  it('answers a second signature of the same version with the first one, when the database refuses it', async () => {
    const { sut, earlier, attestations, audit, requirements, signatures } = setup({
      insertFails: true,
    });

    const outcome = await sut.record(acknowledgement());

    expect(outcome).toEqual({ signature: earlier, created: false });
    expect(signatures.findEarlier).toHaveBeenCalledWith(expect.anything(), {
      personId: 'person-1',
      submissionId: 'submission-1',
      documentVersionId: 'version-1',
    });
    expect(attestations.attestIn).not.toHaveBeenCalled();
    expect(audit.recordIn).not.toHaveBeenCalled();
    expect(requirements.deriveIn).not.toHaveBeenCalled();
  });

  it('looks a training pass up by its submission only', async () => {
    const { sut, signatures } = setup();

    await sut.earlier('person-1', acknowledgement({ kind: SignatureKind.Training }));

    expect(signatures.findEarlier).toHaveBeenCalledWith(expect.anything(), {
      personId: 'person-1',
      submissionId: 'submission-1',
      documentVersionId: null,
    });
  });
});
