import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PeopleService } from '../people/people.service';
import { standingText } from '../requirements/requirement-standing';
import { RequirementsService } from '../requirements/requirements.service';
import { AttestationNotFound } from './attestations.errors';
import { AttestationRepository } from './attestation.repository';
import { AttestationPdfRenderer } from './pdf/attestation-pdf.renderer';
import { DocumentSealer } from './seal/document-sealer';
import { SealIdentity } from './seal/seal-identity';

const day = (d: Date | string | null | undefined) =>
  d ? new Date(d).toISOString().slice(0, 10) : null;

/**
 * A person's compliance summary: every requirement with its status and the attestations that
 * evidence it, sealed when it is made. It is made on demand and not stored: the attestations
 * it names are the stored evidence.
 */
@Injectable()
export class ComplianceSummaryService {
  constructor(
    private readonly people: PeopleService,
    private readonly requirements: RequirementsService,
    private readonly attestations: AttestationRepository,
    private readonly renderer: AttestationPdfRenderer,
    private readonly sealer: DocumentSealer,
    private readonly seal: SealIdentity,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async summary(actor: Principal, personId: string): Promise<Buffer> {
    const person = await this.people.findById(personId);
    if (!person) throw new AttestationNotFound();
    const [standings, attestations] = await Promise.all([
      this.requirements.standingsFor(personId),
      this.attestations.listForPerson(personId),
    ]);
    const generatedAt = this.clock.now().toISOString();
    const doc = await this.renderer.renderComplianceSummary({
      organisation: this.config.organisationName,
      generatedAt,
      person: {
        name: person.fullName,
        email: person.email,
        employeeNumber: person.employeeNumber ?? null,
        department: person.department ?? null,
        country: person.country ?? null,
        startDate: day(person.startDate),
      },
      // One row per requirement, its current cycle: the standing every page shows.
      rows: standings.map((a) => ({
        requirementId: a.requirementId,
        requirementIds: a.requirementIds,
        kind: a.kind,
        subject: a.subject,
        cycle: String(a.cycle),
        dueDate: a.dueDate,
        status: a.status,
        statusText: standingText(a),
        nextDueDate: a.nextDueDate,
        completedAt: a.completedAt?.toISOString() ?? null,
        // The attestation made when this cycle was completed.
        attestationIds: attestations
          .filter(
            (x) =>
              x.documentId === a.subject &&
              a.completedAt !== undefined &&
              x.createdAt.getTime() === a.completedAt.getTime(),
          )
          .map((x) => x.id),
      })),
      verificationUrl: `${this.config.publicUrl}/verify`,
      seal: this.seal,
    });
    const pdf = await this.sealer.seal(doc, {
      reason: `Compliance summary of ${person.fullName}`,
      name: this.config.organisationName,
    });
    await this.audit.record({
      action: 'compliance-summary.generated',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: personId,
    });
    return pdf;
  }
}
