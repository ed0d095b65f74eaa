/**
 * Everything one attestation PDF proves, in the shape `evidence.json` carries it. The signature
 * recorder builds it at the moment of signing; the renderer lays it out and the
 * verifier compares the embedded copy with the stored one. Times are UTC ISO-8601 strings.
 */
export interface AttestationEvidence {
  /** The attestation id: the signature (or training completion) id, a UUID. */
  readonly attestationId: string;
  /** 'signature' for a signed document, 'training' for a passed training module. */
  readonly kind: 'signature' | 'training';
  readonly organisation: string;
  readonly document: {
    readonly id: string;
    readonly title: string;
    /** policy | nda | confidentiality | acceptable-use | training */
    readonly kind: string;
    readonly version: string;
    /** YYYY-MM-DD */
    readonly effective: string;
    /** SHA-256 (hex) of the document's source file bytes. */
    readonly sha256: string;
  };
  readonly signer: {
    readonly personId: string;
    readonly name: string;
    readonly email: string;
    readonly employeeNumber: string | null;
  };
  /** How the signer authenticated, as the IdP asserted it. */
  readonly authentication: {
    /**
     * `saml`, `oidc` (OpenID Connect: the issuer and `sub` below) or `link` (a one-time signing
     * link). Absent from evidence sealed before OpenID Connect sign-in existed: SAML.
     */
    readonly method?: 'saml' | 'oidc' | 'link';
    readonly idpEntityId: string;
    readonly nameId: string;
    readonly authnInstant: string | null;
    /** null when the IdP did not say. */
    readonly mfa: boolean | null;
  };
  readonly consent: {
    readonly disclosureVersion: string;
    readonly disclosureSha256: string;
    readonly consentedAt: string;
  };
  readonly intent: {
    /** The exact statement the signer ticked. */
    readonly text: string;
    readonly sha256: string;
  };
  readonly typedName: string;
  readonly viewedAt: string;
  readonly signedAt: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** Training only. */
  readonly training?: {
    readonly score: number;
    readonly passMark: number;
    readonly attempt: number;
  };
  /** The audit events about this attestation, oldest first. */
  readonly auditTrail: readonly AuditTrailEntry[];
}

/**
 * One audit event. The events recorded by the acknowledgement itself are appended after the
 * PDF is sealed, in the same transaction, and carry its SHA-256: the chain vouches for the PDF,
 * so the PDF cannot hold their chain position or hash, which are then null.
 */
export interface AuditTrailEntry {
  readonly sequence: number | null;
  readonly occurredAt: string;
  /** A person id, or 'system'. */
  readonly actor: string;
  readonly action: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** The event's chain hash (SHA-256 hex); null for an event recorded with this attestation. */
  readonly hash: string | null;
}

/**
 * The "IdP entity id" of a signature made through a leaver's one-time signing link
 * (src/offboarding/): no IdP vouched for the signer, HR's link did. Its NameID names the link and
 * who created it; MFA is false. The record page says so in words.
 */
export const ONE_TIME_LINK_AUTHENTICATION = 'urn:attest:one-time-signing-link';
