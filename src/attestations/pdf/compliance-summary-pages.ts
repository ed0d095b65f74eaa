import { humanDate, humanInstant, label, plural } from '../../common/labels';
import type { ComplianceSummaryInput } from './attestation-pdf.types';
import type { PageFlow, TextStyle } from './page-flow';
import {
  drawBesideQrCode,
  drawSection,
  drawSectionHeading,
  drawVerification,
  TITLE,
} from './record-sections';
import { drawTable } from './table-layout';

const SUBTITLE: TextStyle = { size: 11, leading: 1.4, gray: 0.2 };
const ROW: TextStyle = { size: 7.5, leading: 1.3, gray: 0 };
const NONE = '—';

/** The footer label of a summary: there is no single attestation id to cite. */
export function complianceSummaryLabel(input: ComplianceSummaryInput): string {
  return `Compliance summary · ${input.person.name} · ${input.generatedAt}`;
}

/** Kept on one line: a status or a date split over two reads as two things. */
function whole(text: string): string {
  return text.replace(/ /g, '\u00a0');
}

/** `11 requirements: 4 done, 6 not started, 1 overdue`, in the words every page uses. */
function tally(input: ComplianceSummaryInput): string {
  const counts = new Map<string, number>();
  for (const row of input.rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${label(status).toLowerCase()}`);
  const total = plural(input.rows.length, 'requirement');
  return `${total}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/**
 * A person's compliance summary: who, every requirement with its status and the attestations
 * that evidence it (each is its own sealed PDF), and how to verify this summary's seal.
 */
export function layoutComplianceSummary(flow: PageFlow, input: ComplianceSummaryInput): void {
  const { person } = input;
  flow.newPage();
  drawBesideQrCode(flow, input.verificationUrl, (width) => {
    flow.paragraph([{ text: 'Compliance summary', style: 'bold' }], flow.left, width, TITLE);
    const subtitle = `${person.name} · ${input.organisation}`;
    flow.paragraph([{ text: subtitle, style: 'regular' }], flow.left, width, SUBTITLE);
  });
  drawSection(flow, 'Person', [
    { label: 'Name', value: person.name },
    { label: 'Email', value: person.email },
    { label: 'Employee number', value: person.employeeNumber ?? NONE },
    { label: 'Department', value: person.department ?? NONE },
    { label: 'Country', value: person.country ?? NONE },
    { label: 'Start date', value: person.startDate ? humanDate(person.startDate) : NONE },
    { label: 'Generated', value: humanInstant(input.generatedAt) },
    { label: 'Requirements', value: tally(input) },
  ]);

  drawSectionHeading(flow, 'Requirements', 40);
  drawTable(flow, flow.left, flow.contentWidth, {
    header: ['Requirement', 'Kind', 'Status', 'Due', 'Completed', 'Attestations'].map((text) => [
      [{ text, style: 'bold' as const }],
    ]),
    rows: input.rows.map((row) => [
      [
        [{ text: label(row.subject), style: 'regular' }],
        ...row.requirementIds.map((id) => [{ text: id, style: 'mono' as const }]),
      ],
      [[{ text: whole(label(row.kind)), style: 'regular' }]],
      row.statusText
        .split(', ')
        .map((part, i, all) => [
          { text: whole(i < all.length - 1 ? `${part},` : part), style: 'bold' as const },
        ]),
      [[{ text: whole(humanDate(row.dueDate)), style: 'regular' }]],
      [[{ text: row.completedAt ? humanInstant(row.completedAt) : NONE, style: 'regular' }]],
      row.attestationIds.length > 0
        ? row.attestationIds.map((id) => [{ text: id, style: 'mono' as const }])
        : [[{ text: NONE, style: 'regular' as const }]],
    ]),
    // No fixed weights: each column is at least as wide as its longest word, so words wrap
    // whole at spaces; only ids and rule names, which must break anyway, give way.
    text: ROW,
    grid: true,
    headerFill: 0.92,
  });

  drawVerification(
    flow,
    input.verificationUrl,
    'This summary is sealed. Each attestation it lists is its own sealed PDF.',
    input.seal,
  );
}
