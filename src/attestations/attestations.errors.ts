import { NotFoundException } from '@nestjs/common';

/**
 * No such attestation, or not one this person may see: one error, nothing to probe. Worded as
 * the documents' own, since people reach attestations from their documents.
 */
export class AttestationNotFound extends NotFoundException {
  constructor() {
    super('There is no such document. Go back to My documents.');
    this.name = 'AttestationNotFound';
  }
}
