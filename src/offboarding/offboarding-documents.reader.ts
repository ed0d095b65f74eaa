import { Injectable } from '@nestjs/common';
import { RequirementKind } from '../requirements/requirement-rule';
import { RequirementRules } from '../requirements/requirement-rules';
import { RequirementsService } from '../requirements/requirements.service';

/** The offboarding documents a leaver still has to sign: all a signing link ever opens. */
@Injectable()
export class OffboardingDocuments {
  constructor(
    private readonly rules: RequirementRules,
    private readonly requirements: RequirementsService,
  ) {}

  /** Document ids of the person's open leaving-rule documents, soonest due first. */
  async openFor(personId: string): Promise<string[]> {
    const leaving = new Set(
      this.rules
        .all()
        .filter((r) => r.dueDaysAfterEnd !== undefined && r.kind === RequirementKind.Document)
        .map((r) => r.id),
    );
    return (await this.requirements.standingsFor(personId))
      .filter((s) => s.open && s.requirementIds.some((id) => leaving.has(id)))
      .map((s) => s.subject);
  }
}
