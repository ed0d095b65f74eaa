import { attestationAccess } from '../access/attestation.policy';
import { backgroundCheckAccess, grants } from '../access/background-check.policy';
import { DocumentVersionRepository } from '../documents/document-version.repository';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { humanDate, humanInstant, label } from '../common/labels';
import {
  NotificationHistoryReader,
  type RecipientRole,
  recipientRole,
} from '../notifications/notification-history.reader';
import { KIND_WORDS } from '../notifications/notification.views';
import { RequirementsService } from '../requirements/requirements.service';
import { EvidencePersonNotFound } from './auditors.errors';
import { PersonEvidenceRepository } from './person-evidence.repository';

/** A date as the page shows it: words, with the ISO value for `<time datetime>`. */
interface WhenView {
  iso: string;
  text: string;
}

export interface PersonEvidenceView {
  title: string;
  person: {
    id: string;
    fullName: string;
    email: string;
    employeeNumber: string | null;
    department: string | null;
    employmentType: string;
    status: string;
    startDate: WhenView | null;
    endDate: WhenView | null;
  };
  /** Where the auditor came from, for the way back. */
  sample: { id: string } | null;
  requirements: {
    title: string;
    kind: string;
    status: string;
    overdue: boolean;
    due: WhenView;
    completed: WhenView | null;
    nextDue: WhenView | null;
  }[];
  /** Parts the viewer's permissions do not open: said so, never shown as empty. */
  withheld: { attestations: boolean; checks: boolean };
  attestations: {
    title: string;
    kind: string;
    version: string;
    signed: WhenView;
    pdfHref: string;
  }[];
  checks: {
    type: string;
    status: string;
    jurisdiction: string;
    dates: { name: string; when: WhenView }[];
    waiverReason: string | null;
  }[];
  /**
   * Reminders and escalations about the person (SOC 2 CC1.5: what follows when someone does
   * not sign): when each went out, of what kind, to whom, and whether it was delivered.
   */
  followUp: {
    kind: string;
    to: string;
    status: string;
    reason: string | null;
    when: WhenView;
    tasks: number;
  }[];
}

const day = (value: string | null | undefined): WhenView | null =>
  value ? { iso: value.slice(0, 10), text: humanDate(value) } : null;
const instant = (value: Date | string | null | undefined): WhenView | null => {
  if (!value) return null;
  const iso = new Date(value).toISOString();
  return { iso, text: humanDate(iso) };
};

const ROLE_WORDS: Record<RecipientRole, string> = {
  person: '',
  manager: ' (manager)',
  hr: ' (HR)',
  other: '',
};

/** Who a message went to, seen from the person it concerns. */
const recipientWords = (role: RecipientRole, name: string) =>
  role === 'person' ? 'The person' : `${name}${ROLE_WORDS[role]}`;

const instantTime = (value: Date | string): WhenView => {
  const iso = new Date(value).toISOString();
  return { iso, text: humanInstant(iso) };
};

/**
 * One person's evidence for an auditor testing a sample: requirement states from the one
 * status source, the sealed PDFs of what they signed and passed, and each background check's
 * state and dates (never what the screening found: that stays sealed).
 */
@Injectable()
export class PersonEvidenceService {
  constructor(
    private readonly evidence: PersonEvidenceRepository,
    private readonly documents: DocumentVersionRepository,
    private readonly requirements: RequirementsService,
    private readonly audit: AuditService,
    private readonly followUps: NotificationHistoryReader,
  ) {}

  async show(actor: Principal, personId: string, sampleId?: string): Promise<PersonEvidenceView> {
    const person = await this.evidence.person(personId);
    if (!person) throw new EvidencePersonNotFound();
    // The same record-level policies as everywhere else: the route's permission opens the
    // requirements; sealed attestations and check states each need their own (deny by default).
    const seesAttestations = attestationAccess(actor, { personId }) !== 'none';
    const seesChecks = grants(backgroundCheckAccess(actor, { personId }), 'status');
    const [standings, attestations, checks, titles, followUp] = await Promise.all([
      this.requirements.standingsFor(personId),
      seesAttestations ? this.evidence.attestations(personId) : Promise.resolve([]),
      seesChecks ? this.evidence.checks(personId) : Promise.resolve([]),
      this.documents.currentTitles(),
      this.followUps.followUpOf(personId),
    ]);
    await this.audit.record({
      action: 'person.evidence_viewed',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: personId,
      details: sampleId ? { sampleId } : undefined,
    });
    return {
      title: `Evidence: ${person.fullName}`,
      person: {
        id: person.id,
        fullName: person.fullName,
        email: person.email,
        employeeNumber: person.employeeNumber,
        department: person.department,
        employmentType: label(person.employmentType),
        status: label(person.status),
        startDate: day(person.startDate),
        endDate: day(person.endDate),
      },
      sample: sampleId ? { id: sampleId } : null,
      requirements: standings.map((s) => ({
        title: titles.get(s.subject) ?? label(s.subject),
        kind: label(s.kind),
        status: label(s.status),
        overdue: s.status === 'overdue',
        due: day(s.dueDate)!,
        completed: instant(s.completedAt),
        nextDue: day(s.nextDueDate),
      })),
      withheld: { attestations: !seesAttestations, checks: !seesChecks },
      attestations: attestations.map((a) => ({
        title: a.title ?? titles.get(a.documentId) ?? label(a.documentId),
        kind: a.kind === 'training' ? 'Training passed' : 'Signed',
        version: a.version,
        signed: instant(a.signedAt)!,
        pdfHref: `/attestations/${a.id}/pdf`,
      })),
      checks: checks.map((c) => ({
        type: label(c.type),
        status: label(c.status),
        jurisdiction: c.jurisdiction,
        dates: (
          [
            ['Invited', c.invitedAt],
            ['Started', c.startedAt],
            ['Completed', c.completedAt],
            ['Expires', c.expiresAt],
          ] as const
        ).flatMap(([name, at]) => {
          const when = instant(at);
          return when ? [{ name, when }] : [];
        }),
        waiverReason: c.waiverReason,
      })),
      followUp: followUp.messages.map((m) => ({
        kind: KIND_WORDS[m.kind] ?? label(m.kind),
        to: recipientWords(recipientRole(personId, m), m.recipientName ?? m.recipientEmail),
        status: label(m.status),
        reason: m.status === 'sent' ? null : m.statusReason,
        when: instantTime(m.sentAt ?? m.createdAt),
        tasks: m.itemCount,
      })),
    };
  }
}
