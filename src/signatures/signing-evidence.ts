import { createHash } from 'node:crypto';
import type { Session } from '../auth/sessions/session.entity';

export { ONE_TIME_LINK_AUTHENTICATION } from '../attestations/attestation-evidence';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Where a request came from: kept with the signature, never logged. */
export interface RequestContext {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** Version of the intent statements' wording below; bump it when the wording changes. */
export const INTENT_WORDING_VERSION = '1';

/** The statement a signer ticks (ESIGN/UETA: the intent to sign must be shown). */
export function documentIntent(title: string, version: string): { text: string; sha256: string } {
  const text = `I have read and agree to the ${title}, version ${version}.`;
  return { text, sha256: sha256Hex(text) };
}

export function trainingIntent(title: string, version: string): { text: string; sha256: string } {
  const text = `I completed ${title}, version ${version}, myself, and I answered its quiz without help.`;
  return { text, sha256: sha256Hex(text) };
}

/** Case, accents' encoding and spacing do not matter; letters do. */
export function normalisedName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en');
}

/** How the signer was authenticated: single sign-on by either protocol, or a one-time link. */
export type AuthMethod = 'saml' | 'oidc' | 'link';

/** How the signer authenticated, from the sign-in of their session. */
export interface SsoEvidence {
  readonly sessionId: string;
  readonly authMethod: AuthMethod;
  readonly idpEntityId: string;
  readonly nameId: string;
  readonly authnInstant: Date | null;
  readonly mfa: boolean | null;
}

/** The SSO facts of a session that go into a signature. */
export function ssoEvidenceOf(session: Session): SsoEvidence {
  return {
    sessionId: session.id,
    authMethod: session.authMethod === 'oidc' ? 'oidc' : 'saml',
    idpEntityId: session.idpEntityId,
    nameId: session.nameId,
    authnInstant: session.authnInstant ?? null,
    mfa: session.mfa ?? null,
  };
}

/** Bounded, so an oversized header cannot fail the insert. */
export function requestContextOf(req: {
  ip?: string;
  get(name: string): string | undefined;
}): RequestContext {
  return {
    ip: req.ip?.slice(0, 64) ?? null,
    userAgent: req.get('user-agent')?.slice(0, 512) ?? null,
  };
}
