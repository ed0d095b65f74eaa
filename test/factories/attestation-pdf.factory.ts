import { createHash, randomUUID } from 'node:crypto';
import type {
  AttestationEvidence,
  AuditTrailEntry,
} from '../../src/attestations/attestation-evidence';
import type {
  AttestationPdfInput,
  ComplianceSummaryInput,
  ComplianceSummaryRow,
} from '../../src/attestations/pdf/attestation-pdf.types';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Names that need more than ASCII: the fonts must carry them. */
export const EUROPEAN_NAMES = ['Zoë Łukasiewicz-Ørsted', 'François Dvořák', 'Ağca Şimşek'];

export const LONG_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.175 Safari/537.36 Edg/142.0.3595.94';

const SECTION_TOPICS = [
  'Purpose',
  'Scope',
  'Roles and responsibilities',
  'Access control',
  'Handling information',
  'Devices and remote work',
  'Reporting incidents',
  'Exceptions and enforcement',
];

const SENTENCES = [
  'The Company protects the confidentiality, integrity and availability of the information it holds for its customers.',
  'Everyone who uses Company systems must follow this policy and the standards that support it.',
  'Managers make sure their teams understand the rules and know whom to ask when something is unclear.',
  'Access is granted on the principle of least privilege and is reviewed every quarter by the system owner.',
  'Information is classified as Public, Internal, Confidential or Restricted and handled according to that class.',
  'Suspected incidents are reported at once to the security team, who keep a record of every report.',
];

/**
 * A policy body in Markdown (no front matter) with everything the PDF must lay out: headings
 * at three levels, wrapped paragraphs with bold, italic, code and links, nested bulleted and
 * numbered lists, a table, a block quote, a code block and a rule. Four sections fill about
 * three A4 pages.
 */
export function policyMarkdown(sections = 4, title = 'Information Security Policy'): string {
  const parts = [`# ${title}`];
  for (let s = 0; s < sections; s++) {
    const topic = SECTION_TOPICS[s % SECTION_TOPICS.length];
    const para = (offset: number) =>
      [0, 1, 2, 3].map((i) => SENTENCES[(s + offset + i) % SENTENCES.length]).join(' ');
    parts.push(
      `## ${s + 1}. ${topic}`,
      `${para(0)} See the [Acceptable Use Policy](https://policies.example.com/aup) and **always** ask *before* you act; run \`attest verify\` to check a PDF.`,
      `### ${s + 1}.1 Rules`,
      [
        '- Keep your credentials secret:',
        '  - use the approved password manager;',
        '  - enable multi-factor authentication on **every** account;',
        '    1. prefer a security key,',
        '    2. otherwise an authenticator app.',
        '- Lock your screen when you step away.',
        `- Report anything odd to ${EUROPEAN_NAMES[s % EUROPEAN_NAMES.length]}, the security lead.`,
      ].join('\n'),
      para(2),
      [
        '| Role | Responsibility | Review |',
        '| --- | --- | ---: |',
        '| Users | Follow this policy, use Company resources responsibly and report suspected misuse or incidents without delay. | yearly |',
        '| Managers | Make sure their teams understand this policy and raise concerns with the security team. | quarterly |',
        `| Security team | Maintain the approved software list, monitor for threats and decide on exceptions; contact ${EUROPEAN_NAMES[(s + 1) % 3]}. | monthly |`,
      ].join('\n'),
      '> Where this policy and a local law differ, the stricter rule applies. Ask the People team if you are unsure.',
    );
    if (s === 0) parts.push('```\nattest verify attestation.pdf\n  exit 0: the seal is valid\n```');
    if (s === sections - 1)
      parts.push('---', `_Approved by ${EUROPEAN_NAMES[1]}, Chief Information Security Officer._`);
  }
  return `${parts.join('\n\n')}\n`;
}

export function auditTrail(attestationId: string, personId: string, events = 4): AuditTrailEntry[] {
  const actions = ['document.viewed', 'esign.consented', 'document.signed', 'attestation.sealed'];
  let previous = '0'.repeat(64);
  return Array.from({ length: events }, (_, i) => {
    previous = sha256(`${previous}|${attestationId}|${i}`);
    return {
      sequence: 1041 + i,
      occurredAt: `2026-03-02T09:1${i}:0${i}.123Z`,
      actor: i === events - 1 ? 'system' : personId,
      action: actions[i % actions.length],
      ip: i === events - 1 ? null : '2001:db8:85a3::8a2e:370:7334',
      userAgent: i === events - 1 ? null : LONG_USER_AGENT,
      hash: previous,
    };
  });
}

export function attestationEvidence(
  overrides: Partial<AttestationEvidence> = {},
): AttestationEvidence {
  const attestationId = overrides.attestationId ?? randomUUID();
  const personId = randomUUID();
  const name = EUROPEAN_NAMES[0];
  const intent = 'I have read and agree to the Information Security Policy, version 2.1.0.';
  return {
    attestationId,
    kind: 'signature',
    organisation: 'Ørsted & Dvořák Consulting ApS',
    document: {
      id: 'information-security-policy',
      title: 'Information Security Policy',
      kind: 'policy',
      version: '2.1.0',
      effective: '2026-02-01',
      sha256: sha256('information-security-policy@2.1.0'),
    },
    signer: {
      personId,
      name,
      email: 'zoe.lukasiewicz-orsted@example.com',
      employeeNumber: 'E-10442',
    },
    authentication: {
      idpEntityId:
        'https://login.microsoftonline.com/8f2c1a7e-4d3b-4f5a-9c1e-2b7d6e8f9a01/federationmetadata/2007-06/federationmetadata.xml',
      nameId: 'zoe.lukasiewicz-orsted@example.com',
      authnInstant: '2026-03-02T09:05:44.000Z',
      mfa: true,
    },
    consent: {
      disclosureVersion: '3',
      disclosureSha256: sha256('esign-disclosure-v3'),
      consentedAt: '2026-03-02T09:11:01.456Z',
    },
    intent: { text: intent, sha256: sha256(intent) },
    typedName: name,
    viewedAt: '2026-03-02T09:10:00.123Z',
    signedAt: '2026-03-02T09:12:02.789Z',
    ip: '2001:db8:85a3::8a2e:370:7334',
    userAgent: LONG_USER_AGENT,
    auditTrail: auditTrail(attestationId, personId),
    ...overrides,
  };
}

export function attestationPdfInput(
  overrides: Partial<AttestationPdfInput> & { evidence?: AttestationEvidence } = {},
): AttestationPdfInput {
  const evidence = overrides.evidence ?? attestationEvidence();
  return {
    evidence,
    markdown: policyMarkdown(),
    verificationUrl: `https://attest.example.com/verify/${evidence.attestationId}`,
    seal: {
      subject: 'CN=Attest document seal, O=Ørsted & Dvořák Consulting ApS, C=DK',
      fingerprintSha256: sha256('seal certificate').toUpperCase().match(/../g)!.join(':'),
    },
    ...overrides,
  };
}

export function complianceSummaryInput(rowCount: number): ComplianceSummaryInput {
  const statuses = ['done', 'overdue', 'not_started', 'waived'];
  const rows: ComplianceSummaryRow[] = Array.from({ length: rowCount }, (_, i) => ({
    requirementId: `req-${String(i + 1).padStart(4, '0')}`,
    kind: i % 3 === 0 ? 'training' : 'document',
    subject: i % 3 === 0 ? 'Security awareness training' : 'Acceptable Use Policy',
    cycle: i % 2 === 0 ? 'annual' : 'once',
    dueDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
    status: statuses[i % statuses.length],
    statusText: ['Done, next due 15 Jan 2027', 'Overdue', 'Not started', 'Waived'][i % 4],
    nextDueDate: i % 4 === 0 ? '2027-01-15' : null,
    requirementIds: [`req-${String(i + 1).padStart(4, '0')}`],
    completedAt:
      i % 4 === 0 ? `2026-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00.000Z` : null,
    attestationIds: i % 4 === 0 ? [randomUUID(), ...(i % 8 === 0 ? [randomUUID()] : [])] : [],
  }));
  return {
    organisation: 'Ørsted & Dvořák Consulting ApS',
    generatedAt: '2026-03-05T12:00:00.000Z',
    person: {
      name: EUROPEAN_NAMES[2],
      email: 'agca.simsek@example.com',
      employeeNumber: 'E-20117',
      department: 'Engineering',
      country: 'TR',
      startDate: '2025-09-01',
    },
    rows,
    verificationUrl: 'https://attest.example.com/verify/summary-7c1e',
    seal: {
      subject: 'CN=Attest document seal, O=Ørsted & Dvořák Consulting ApS, C=DK',
      fingerprintSha256: sha256('seal certificate'),
    },
  };
}
