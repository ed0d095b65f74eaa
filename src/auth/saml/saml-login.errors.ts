import { HttpException, HttpStatus } from '@nestjs/common';

/** Why a SAML response was refused: recorded in the audit log, never shown to the browser. */
export type SamlRefusalReason =
  | 'doctype'
  | 'malformed'
  | 'signature'
  | 'weak_algorithm'
  | 'issuer'
  | 'destination'
  | 'recipient'
  | 'audience'
  | 'status'
  | 'expired'
  | 'too_old'
  | 'in_response_to_missing'
  | 'in_response_to_unknown'
  | 'replay'
  | 'duplicate_attribute'
  | 'assertion_count'
  | 'no_email'
  | 'bidi_control'
  | 'identity_mismatch'
  | 'invalid_response';

export class SamlLoginRefused extends Error {
  constructor(
    readonly reason: SamlRefusalReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'SamlLoginRefused';
  }
}

/** The page a refused response gets: plain, and the same whatever the reason. */
export class SignInFailed extends HttpException {
  constructor() {
    super(
      'Sign-in did not complete. Start again from the sign-in page; if it keeps failing, contact your administrator.',
      HttpStatus.UNAUTHORIZED,
    );
  }
}
