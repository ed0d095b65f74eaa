import { Inject, Injectable } from '@nestjs/common';
import { SEAL_KEYS, type SealKeys } from './seal-keys';

/** Who seals, as printed on the attestation page so a reader can match the PDF's signature. */
@Injectable()
export class SealIdentity {
  /** The seal certificate's subject, one line, e.g. `CN=Attest seal, O=Example Ltd`. */
  readonly subject: string;
  /** SHA-256 of the certificate's DER, as `AB:CD:…` (the form PDF viewers and openssl show). */
  readonly fingerprintSha256: string;

  constructor(@Inject(SEAL_KEYS) keys: SealKeys) {
    this.subject = keys.certificate.subject.split('\n').join(', ');
    this.fingerprintSha256 = keys.certificate.fingerprint256;
  }
}
