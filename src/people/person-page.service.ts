import { DocumentVersionRepository } from '../documents/document-version.repository';
import { Injectable } from '@nestjs/common';
import { attestationAccess } from '../access/attestation.policy';
import { backgroundCheckAccess, grants } from '../access/background-check.policy';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import { AuditService } from '../audit/audit.service';
import { NotificationHistoryReader } from '../notifications/notification-history.reader';
import { outboxRowView } from '../notifications/notification.views';
import { humanInstant } from '../common/labels';
import { RequirementsService } from '../requirements/requirements.service';
import { doneCount } from '../requirements/requirement-standing';
import { OffboardingChecklistService } from '../offboarding/offboarding-checklist.service';
import { PersonNotFound } from './people.errors';
import { toPersonView } from './people.views';
import {
  attestationRow,
  checkRow,
  checksCount,
  historyRow,
  type HoldFormError,
  type PersonPageView,
  requirementRow,
  type WaiveError,
} from './person-page.views';
import { PersonRecordRepository } from './person-record.repository';
import { PersonRepository } from './person.repository';

/**
 * The one page about a person that HR and auditors open from every list: what each part shows
 * follows the same policies as the part's own pages.
 */
@Injectable()
export class PersonPageService {
  constructor(
    private readonly people: PersonRepository,
    private readonly records: PersonRecordRepository,
    private readonly documents: DocumentVersionRepository,
    private readonly requirements: RequirementsService,
    private readonly audit: AuditService,
    private readonly followUps: NotificationHistoryReader,
    private readonly offboarding: OffboardingChecklistService,
  ) {}

  /**
   * `waiveError`: a waiver that was refused, shown at the top and beside its reason field;
   * `holdError` likewise for the legal hold form.
   */
  async show(
    actor: Principal,
    id: string,
    waiveError?: WaiveError,
    reminder?: 'sent' | 'recent' | 'nothing',
    holdError?: HoldFormError,
  ): Promise<PersonPageView> {
    const person = await this.people.findById(id);
    if (!person) throw new PersonNotFound();
    const checkAccess = backgroundCheckAccess(actor, { personId: id });
    const seesChecks = grants(checkAccess, 'status') && checkAccess !== 'own';
    const seesAttestations = attestationAccess(actor, { personId: id }) !== 'none';
    // Segregation of duties (ISO/IEC 27001:2022 A.5.3): nobody waives their own requirements.
    const canWaive =
      actor.permissions.has(Permission.RequirementWaive) && mayDecideAbout(actor, id);
    const canRecordCheck =
      grants(checkAccess, 'full') &&
      actor.permissions.has(Permission.BackgroundCheckWrite) &&
      mayDecideAbout(actor, id);
    const seesFollowUp = actor.permissions.has(Permission.NotificationRead);
    const canManageHold =
      actor.permissions.has(Permission.LegalHoldManage) && mayDecideAbout(actor, id);
    const [standings, titles, attestations, checks, history, followUp, hold, offboarding] =
      await Promise.all([
        this.requirements.standingsFor(id),
        this.documents.currentTitles(),
        seesAttestations ? this.records.attestationsOf(id) : Promise.resolve(null),
        seesChecks ? this.records.checksOf(id) : Promise.resolve(null),
        this.records.historyOf(id, seesChecks),
        seesFollowUp ? this.followUps.followUpOf(id) : Promise.resolve(null),
        this.records.activeHoldOf(id),
        this.offboarding.sectionFor(actor, id),
      ]);
    await this.audit.record({
      action: 'person.requirements_viewed',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: id,
    });
    const today = this.requirements.today();
    return {
      ...toPersonView(actor, person),
      csrfToken: actor.csrfToken,
      offboarding,
      progress: `${doneCount(standings)} of ${standings.length} done`,
      requirements: standings.map((s) => {
        const row = requirementRow(s, titles, today, canWaive);
        const failed =
          waiveError?.requirementId === s.requirementId && waiveError.cycle === s.cycle;
        return failed ? { ...row, error: waiveError.message } : row;
      }),
      errors: [
        ...(waiveError
          ? [
              {
                href: `#reason-${waiveError.requirementId}-${waiveError.cycle}`,
                message: waiveError.message,
              },
            ]
          : []),
        ...(holdError ? [{ href: '#legal-hold-reason', message: holdError.message }] : []),
      ],
      canWaive,
      showAttestations: seesAttestations,
      attestations: (attestations ?? []).map((a) => attestationRow(a, titles)),
      summaryHref: actor.permissions.has(Permission.RequirementRead)
        ? `/people/${id}/compliance-summary`
        : null,
      showChecks: seesChecks,
      checks: (checks ?? []).map(checkRow),
      checksCount: checksCount(checks?.length ?? 0),
      recordCheckHref: canRecordCheck ? `/people/${id}/background-checks/new` : null,
      history: history.map((h) => historyRow(h, titles)),
      legalHold:
        hold || canManageHold
          ? {
              active: hold && {
                // A hold may concern a claim against the person: its reason is not theirs to read.
                reason: mayDecideAbout(actor, id) ? hold.reason : null,
                placedAt: hold.placedAt.toISOString(),
                placedText: humanInstant(hold.placedAt),
                placedBy: hold.placedByName ?? 'Someone no longer in Attest',
              },
              canManage: canManageHold,
              reason: holdError?.reason ?? '',
              error: holdError?.message ?? null,
            }
          : null,
      followUp: followUp && {
        lastReminded: followUp.lastReminded ? humanInstant(followUp.lastReminded) : 'Never',
        lastEscalated: followUp.lastEscalated ? humanInstant(followUp.lastEscalated) : 'Never',
        messages: followUp.messages.slice(0, 10).map(outboxRowView),
        more: followUp.messages.length > 10,
        canSend:
          actor.permissions.has(Permission.NotificationSend) &&
          standings.some((s) => s.open && s.kind !== 'background_check'),
        outcome:
          reminder === 'sent'
            ? 'Reminder queued. It goes out within a minute; it is listed below once sent.'
            : null,
        problem:
          reminder === 'recent'
            ? 'No reminder was sent: one went to them within the last hour. Try again later.'
            : reminder === 'nothing'
              ? 'No reminder was sent: they have nothing open that they can do themselves (background checks are for HR), or they have left or are on leave.'
              : null,
      },
    };
  }
}
