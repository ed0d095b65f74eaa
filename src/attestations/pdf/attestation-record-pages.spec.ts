import {
  attestationEvidence,
  attestationPdfInput,
} from '../../../test/factories/attestation-pdf.factory';
import {
  attestationStatement,
  layoutAttestationPage,
  layoutAuditTrail,
} from './attestation-record-pages';
import { A4_PORTRAIT, PageFlow } from './page-flow';
import { PdfFontSet } from './pdf-fonts';

const fonts = new PdfFontSet();

/** The text in drawing order: a table cell's lines are drawn one after another. */
function textOf(flow: PageFlow): string {
  return flow.pages.flatMap((page) => page.texts.map((t) => t.text)).join(' ');
}

/** Without white space, so a value wrapped over several lines still matches. */
const squashed = (text: string) => text.replace(/\s+/g, '');

function expectInsideMargins(flow: PageFlow) {
  const { width, marginLeft, marginRight, marginBottom } = A4_PORTRAIT;
  for (const page of flow.pages) {
    for (const t of page.texts) {
      expect(t.x).toBeGreaterThanOrEqual(marginLeft - 0.01);
      expect(t.x + t.width).toBeLessThanOrEqual(width - marginRight + 0.01);
      expect(t.y).toBeGreaterThan(marginBottom);
    }
  }
}

describe(attestationStatement.name, () => {
  it('says who acknowledged which version of a document', () => {
    expect(attestationStatement(attestationEvidence())).toBe(
      'Zoë Łukasiewicz-Ørsted acknowledged Information Security Policy version 2.1.0',
    );
  });

  it('says who completed a training module', () => {
    const evidence = attestationEvidence({
      kind: 'training',
      training: { score: 90, passMark: 80, attempt: 2 },
    });

    expect(attestationStatement(evidence)).toBe(
      'Zoë Łukasiewicz-Ørsted completed Information Security Policy version 2.1.0',
    );
  });
});

describe(layoutAttestationPage.name, () => {
  it('prints every fact of the evidence on one page', () => {
    const input = attestationPdfInput();
    const { evidence } = input;
    const flow = new PageFlow(fonts);

    layoutAttestationPage(flow, input);

    expect(flow.pages).toHaveLength(1);
    const text = squashed(textOf(flow));
    for (const value of [
      attestationStatement(evidence),
      evidence.attestationId,
      evidence.organisation,
      evidence.document.id,
      evidence.document.version,
      evidence.document.effective,
      evidence.document.sha256,
      evidence.signer.email,
      evidence.signer.employeeNumber!,
      evidence.authentication.idpEntityId,
      evidence.authentication.nameId,
      evidence.authentication.authnInstant!,
      evidence.consent.disclosureVersion,
      evidence.consent.disclosureSha256,
      evidence.consent.consentedAt,
      evidence.intent.text,
      evidence.intent.sha256,
      evidence.viewedAt,
      evidence.signedAt,
      evidence.ip!,
      input.seal.subject,
      input.seal.fingerprintSha256,
      input.verificationUrl,
    ]) {
      expect(text).toContain(squashed(value));
    }
    expect(textOf(flow)).toMatch(/Multi-factor\s*yes/);
    expect(flow.pages[0].rects.length).toBeGreaterThan(50); // the QR code's modules
    expectInsideMargins(flow);
  });

  it('names the sign-in method: SAML when the evidence predates the field, OpenID Connect by its own terms', () => {
    const layout = (authentication: Record<string, unknown>) => {
      const flow = new PageFlow(fonts);
      const evidence = attestationEvidence({
        authentication: {
          idpEntityId: 'https://op.example.com',
          nameId: 'op-user-1',
          authnInstant: '2026-12-07T09:00:00.000Z',
          mfa: true,
          ...authentication,
        },
      });
      layoutAttestationPage(flow, attestationPdfInput({ evidence }));
      return textOf(flow);
    };
    expect(layout({})).toMatch(/Method\s*SAML 2\.0 single sign-on/);
    expect(layout({})).toMatch(/NameID\s*op-user-1/);
    const oidc = layout({ method: 'oidc' });
    expect(oidc).toMatch(/Method\s*OpenID Connect single sign-on/);
    expect(oidc).toMatch(/Issuer\s*https:\/\/op\.example\.com/);
    expect(oidc).toMatch(/Subject \(sub\)\s*op-user-1/);
    expect(oidc).not.toContain('NameID');
  });

  it('says when the IdP did not state MFA or the AuthnInstant, and when nothing was recorded', () => {
    const evidence = attestationEvidence({
      authentication: {
        idpEntityId: 'https://idp.example.com',
        nameId: 'x',
        authnInstant: null,
        mfa: null,
      },
      signer: { personId: 'p', name: 'Ağca Şimşek', email: 'a@example.com', employeeNumber: null },
      ip: null,
      userAgent: null,
    });
    const flow = new PageFlow(fonts);

    layoutAttestationPage(flow, attestationPdfInput({ evidence }));

    const text = textOf(flow);
    expect(text).toMatch(/AuthnInstant\s*not stated by the IdP/);
    expect(text).toMatch(/Multi-factor\s*not stated by the IdP/);
    expect(text).toMatch(/Employee number\s*not recorded/);
    expect(text).toMatch(/IP address\s*not recorded/);
    expect(text).toMatch(/User agent\s*not recorded/);
  });

  it('prints the score and pass mark of a training completion', () => {
    const evidence = attestationEvidence({
      kind: 'training',
      training: { score: 90, passMark: 80, attempt: 2 },
    });
    const flow = new PageFlow(fonts);

    layoutAttestationPage(flow, attestationPdfInput({ evidence }));

    expect(textOf(flow)).toContain('Score 90 % (pass mark 80 %), attempt 2.');
    expect(textOf(flow)).toMatch(/Kind\s*training completion/);
  });

  it('wraps very long values instead of letting them run off the page', () => {
    const evidence = attestationEvidence({
      userAgent: `Mozilla/5.0 ${'(KHTML, like Gecko) '.repeat(30)}${'X'.repeat(300)}`,
      authentication: {
        idpEntityId: `https://idp.example.com/${'a'.repeat(400)}`,
        nameId: 'n'.repeat(200),
        authnInstant: null,
        mfa: false,
      },
    });
    const flow = new PageFlow(fonts);

    layoutAttestationPage(flow, attestationPdfInput({ evidence }));

    expectInsideMargins(flow);
    expect(squashed(textOf(flow))).toContain('X'.repeat(300));
  });
});

describe(layoutAuditTrail.name, () => {
  it('lists each event with its sequence, time, named actor, action, subject, IP, user agent and hash', () => {
    const evidence = attestationEvidence();
    const flow = new PageFlow(fonts);

    layoutAuditTrail(flow, evidence);

    const text = squashed(textOf(flow));
    for (const event of evidence.auditTrail) {
      const { sequence, occurredAt, actor, action, ip, userAgent, hash } = event;
      const row = [
        sequence,
        occurredAt,
        actor === 'system' ? 'Attest (system)' : `${evidence.signer.name} ${actor}`,
        action,
        action.startsWith('esign.')
          ? `about: Electronic records disclosure version ${evidence.consent.disclosureVersion}`
          : `about: ${evidence.document.title} version ${evidence.document.version}`,
        ip ?? 'not recorded',
        userAgent ?? 'not recorded',
        hash,
      ];
      expect(text).toContain(squashed(row.join(' ')));
    }
    const last = evidence.auditTrail.at(-1)!.hash;
    expect(text).toContain(squashed(`Chain hash of the last event ${last}`));
    expectInsideMargins(flow);
  });

  it('paginates a long trail', () => {
    const base = attestationEvidence();
    const auditTrail = Array.from({ length: 60 }, (_, i) => ({
      ...base.auditTrail[0],
      sequence: i + 1,
    }));
    const flow = new PageFlow(fonts);

    layoutAuditTrail(flow, { ...base, auditTrail });

    expect(flow.pages.length).toBeGreaterThan(2);
    expectInsideMargins(flow);
  });
});
