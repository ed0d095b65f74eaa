import type { BackgroundCheck } from './background-check.entity';
import { dateInput, type OptionView, statusOptions, typeOptions } from './background-check.views';

/** The create and edit forms; values are what the inputs start with. */
export interface BackgroundCheckFormView {
  readonly title: string;
  readonly csrfToken: string;
  readonly action: string;
  readonly isNew: boolean;
  readonly person: { id: string; name: string };
  readonly types: OptionView[];
  readonly typeLabel: string;
  readonly statuses: OptionView[];
  readonly values: {
    jurisdiction: string;
    invitedAt: string;
    startedAt: string;
    completedAt: string;
    expiresAt: string;
    waiverReason: string;
    providerName: string;
    providerReference: string;
    adjudicationNotes: string;
    reportReference: string;
  };
}

export function newFormView(
  csrfToken: string,
  person: { id: string; fullName: string; country?: string | null },
): BackgroundCheckFormView {
  return {
    title: `New background check for ${person.fullName}`,
    csrfToken,
    action: '/background-checks',
    isNew: true,
    person: { id: person.id, name: person.fullName },
    types: typeOptions(),
    typeLabel: '',
    statuses: statusOptions('not_started'),
    values: {
      jurisdiction: person.country ?? '',
      invitedAt: '',
      startedAt: '',
      completedAt: '',
      expiresAt: '',
      waiverReason: '',
      providerName: '',
      providerReference: '',
      adjudicationNotes: '',
      reportReference: '',
    },
  };
}

export function editFormView(
  csrfToken: string,
  check: BackgroundCheck,
  sealed: { adjudicationNotes: string | null; reportReference: string | null },
): BackgroundCheckFormView {
  return {
    title: `Update background check`,
    csrfToken,
    action: `/background-checks/${check.id}`,
    isNew: false,
    person: { id: check.person.id, name: check.person.fullName },
    types: typeOptions(check.type),
    typeLabel: typeOptions(check.type).find((t) => t.selected)?.label ?? check.type,
    statuses: statusOptions(check.status),
    values: {
      jurisdiction: check.jurisdiction,
      invitedAt: dateInput(check.invitedAt),
      startedAt: dateInput(check.startedAt),
      completedAt: dateInput(check.completedAt),
      expiresAt: dateInput(check.expiresAt),
      waiverReason: check.waiverReason ?? '',
      providerName: check.providerName ?? '',
      providerReference: check.providerReference ?? '',
      adjudicationNotes: sealed.adjudicationNotes ?? '',
      reportReference: sealed.reportReference ?? '',
    },
  };
}
