import { type AttestationEvidence, ONE_TIME_LINK_AUTHENTICATION } from '../attestation-evidence';
import type { AttestationPdfInput } from './attestation-pdf.types';
import type { PageFlow, TextStyle } from './page-flow';
import {
  drawBesideQrCode,
  drawFields,
  drawSection,
  drawSectionHeading,
  drawVerification,
  TITLE,
} from './record-sections';
import { drawTable } from './table-layout';

const STATEMENT: TextStyle = { size: 12, leading: 1.4, gray: 0 };
const NOTE: TextStyle = { size: 9, leading: 1.4, gray: 0.3 };
const AUDIT: TextStyle = { size: 7.5, leading: 1.3, gray: 0 };

const NOT_RECORDED = 'not recorded';
const NOT_STATED = 'not stated by the IdP';

/** The sentence the whole record proves. */
export function attestationStatement(evidence: AttestationEvidence): string {
  const verb = evidence.kind === 'training' ? 'completed' : 'acknowledged';
  const { title, version } = evidence.document;
  return `${evidence.signer.name} ${verb} ${title} version ${version}`;
}

function mfaText(mfa: boolean | null): string {
  if (mfa === null) return NOT_STATED;
  return mfa ? 'yes' : 'no';
}

/**
 * The attestation page: who agreed to what and when, how they signed in, the consent and intent
 * they gave (ESIGN §7001(c) consent, UETA §9 attribution), where from, and how to check the seal.
 */
export function layoutAttestationPage(flow: PageFlow, input: AttestationPdfInput): void {
  const { evidence, seal } = input;
  flow.newPage();
  drawBesideQrCode(flow, input.verificationUrl, (width) => {
    flow.paragraph([{ text: 'Attestation record', style: 'bold' }], flow.left, width, TITLE);
    flow.gap(4);
    flow.paragraph(
      [{ text: attestationStatement(evidence), style: 'bold' }],
      flow.left,
      width,
      STATEMENT,
    );
    if (evidence.training) {
      const { score, passMark, attempt } = evidence.training;
      const text = `Score ${score} % (pass mark ${passMark} %), attempt ${attempt}.`;
      flow.paragraph([{ text, style: 'regular' }], flow.left, width, NOTE);
    }
    flow.gap(4);
    drawFields(flow, flow.left, width, [
      { label: 'Attestation id', value: evidence.attestationId, mono: true },
      { label: 'Organisation', value: evidence.organisation },
      { label: 'Kind', value: evidence.kind === 'training' ? 'training completion' : 'signature' },
    ]);
  });
  drawSection(flow, 'Document', [
    { label: 'Title', value: evidence.document.title },
    { label: 'Document id', value: evidence.document.id, mono: true },
    { label: 'Version', value: evidence.document.version },
    { label: 'Effective date', value: evidence.document.effective },
    { label: 'Source SHA-256', value: evidence.document.sha256, mono: true },
  ]);
  drawSection(flow, 'Signer', [
    { label: 'Name', value: evidence.signer.name },
    { label: 'Email', value: evidence.signer.email },
    { label: 'Employee number', value: evidence.signer.employeeNumber ?? NOT_RECORDED },
  ]);
  const { method = 'saml' } = evidence.authentication;
  const viaLink =
    method === 'link' || evidence.authentication.idpEntityId === ONE_TIME_LINK_AUTHENTICATION;
  const oidc = method === 'oidc';
  drawSection(
    flow,
    'Authentication',
    viaLink
      ? [
          { label: 'Method', value: 'One-time signing link (no single sign-on)' },
          { label: 'Link', value: evidence.authentication.nameId },
          { label: 'Link opened', value: evidence.authentication.authnInstant ?? NOT_STATED },
          { label: 'Multi-factor', value: mfaText(evidence.authentication.mfa) },
        ]
      : [
          {
            label: 'Method',
            value: oidc ? 'OpenID Connect single sign-on' : 'SAML 2.0 single sign-on',
          },
          {
            label: oidc ? 'Issuer' : 'IdP entity id',
            value: evidence.authentication.idpEntityId,
            mono: true,
          },
          {
            label: oidc ? 'Subject (sub)' : 'NameID',
            value: evidence.authentication.nameId,
            mono: true,
          },
          {
            label: oidc ? 'Authenticated (auth_time)' : 'AuthnInstant',
            value: evidence.authentication.authnInstant ?? NOT_STATED,
          },
          { label: 'Multi-factor', value: mfaText(evidence.authentication.mfa) },
        ],
  );
  drawSection(flow, 'Electronic records consent', [
    { label: 'Disclosure version', value: evidence.consent.disclosureVersion },
    { label: 'Disclosure SHA-256', value: evidence.consent.disclosureSha256, mono: true },
    { label: 'Consent given', value: evidence.consent.consentedAt },
  ]);
  drawSection(flow, 'Signature', [
    { label: 'Intent statement', value: evidence.intent.text },
    { label: 'Intent SHA-256', value: evidence.intent.sha256, mono: true },
    { label: 'Typed name', value: evidence.typedName },
    { label: 'Viewed (UTC)', value: evidence.viewedAt },
    { label: 'Consented (UTC)', value: evidence.consent.consentedAt },
    { label: 'Signed (UTC)', value: evidence.signedAt },
    { label: 'IP address', value: evidence.ip ?? NOT_RECORDED, mono: true },
    { label: 'User agent', value: evidence.userAgent ?? NOT_RECORDED },
  ]);
  drawVerification(
    flow,
    input.verificationUrl,
    'This PDF is sealed: any PDF reader can check the seal, and Attest checks it against the stored record.',
    seal,
  );
}

/** Shown for an event recorded with this attestation, which has no chain position in it. */
const WITH_THIS = 'this record';
const CHAINED_AFTER = 'chained after sealing, with this PDF’s SHA-256';

/**
 * Who an event's actor is, in words: the trail holds the signer's events and Attest's own, so
 * the signer is named from the evidence, with their id beside the name.
 */
export function trailActor(evidence: AttestationEvidence, actor: string): string {
  if (actor === 'system') return 'Attest (system)';
  return actor === evidence.signer.personId ? evidence.signer.name : 'Another person';
}

/** What an event is about: the disclosure consented to, or the document signed or passed. */
export function trailSubject(evidence: AttestationEvidence, action: string): string {
  if (action.startsWith('esign.')) {
    return `about: Electronic records disclosure version ${evidence.consent.disclosureVersion}`;
  }
  return `about: ${evidence.document.title} version ${evidence.document.version}`;
}

/** The audit events about this attestation, oldest first, with their hash-chain values. */
export function layoutAuditTrail(flow: PageFlow, evidence: AttestationEvidence): void {
  flow.newPage();
  flow.paragraph([{ text: 'Audit trail', style: 'bold' }], flow.left, flow.contentWidth, TITLE);
  flow.paragraph(
    [
      {
        text: 'Each event stores the SHA-256 of its content chained to the previous event’s hash, so an edited, removed or reordered event breaks the chain.',
        style: 'regular',
      },
    ],
    flow.left,
    flow.contentWidth,
    NOTE,
  );
  flow.gap(6);
  const trail = evidence.auditTrail;
  drawTable(flow, flow.left, flow.contentWidth, {
    header: ['#', 'Time (UTC)', 'Who, what and about what', 'IP and user agent', 'Chain hash'].map(
      (text) => [[{ text, style: 'bold' as const }]],
    ),
    rows: trail.map((event) => [
      [[{ text: event.sequence === null ? WITH_THIS : String(event.sequence), style: 'regular' }]],
      [[{ text: event.occurredAt, style: 'regular' }]],
      [
        [{ text: trailActor(evidence, event.actor), style: 'regular' }],
        ...(event.actor === 'system' ? [] : [[{ text: event.actor, style: 'mono' as const }]]),
        [{ text: event.action, style: 'bold' }],
        [{ text: trailSubject(evidence, event.action), style: 'regular' }],
      ],
      [
        [{ text: event.ip ?? NOT_RECORDED, style: 'mono' }],
        [{ text: event.userAgent ?? NOT_RECORDED, style: 'regular' }],
      ],
      [[{ text: event.hash ?? CHAINED_AFTER, style: event.hash ? 'mono' : 'regular' }]],
    ]),
    weights: [7, 19, 22, 29, 23],
    text: AUDIT,
    grid: true,
    headerFill: 0.92,
  });
  const chained = trail.filter((event) => event.hash !== null);
  const head = chained[chained.length - 1];
  const pending = trail.length - chained.length;
  drawSection(flow, 'Chain', [
    { label: 'Events', value: String(trail.length) },
    {
      label:
        pending > 0
          ? 'Chain hash of the last event before this record'
          : 'Chain hash of the last event',
      value: head?.hash ?? 'no events',
      mono: true,
    },
    ...(pending > 0
      ? [
          {
            label: 'Recorded with this record',
            value: `${pending} event${pending === 1 ? '' : 's'}, appended to the chain after this PDF was sealed, in the same transaction; the last carries this PDF’s SHA-256, so the chain vouches for these exact bytes.`,
          },
        ]
      : []),
  ]);
  drawSectionHeading(flow, 'Attached evidence', 0);
  flow.paragraph(
    [
      {
        text: 'This PDF carries evidence.json, the same record in machine-readable form. It was attached before sealing, so the seal covers it.',
        style: 'regular',
      },
    ],
    flow.left,
    flow.contentWidth,
    NOTE,
  );
}
