import { Permission } from './permission';
import type { Principal } from './principal';

/**
 * How a principal may reach one sealed attestation:
 * - `own`: it is their own (no audit event: people keep copies of what they signed);
 * - `any`: someone else's, with the permission to read signatures (HR, auditors, admins);
 * - `none`: not at all, and not even that it exists.
 */
export type AttestationAccess = 'own' | 'any' | 'none';

/** What the policy needs to know about the attestation. */
export interface AttestationSubject {
  readonly personId: string;
}

/**
 * The one place that decides who may download a sealed attestation PDF. Deny by default: only
 * the signer, or a principal holding the permission to read signatures.
 */
export function attestationAccess(
  principal: Principal,
  attestation: AttestationSubject,
): AttestationAccess {
  if (attestation.personId === principal.personId) return 'own';
  return principal.permissions.has(Permission.SignatureRead) ? 'any' : 'none';
}
