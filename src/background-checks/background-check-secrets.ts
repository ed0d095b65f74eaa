import { Injectable } from '@nestjs/common';
import { DataCipher } from '../common/crypto/data-cipher';

/** The two columns that say what a screening found; everything else is status. */
export type SealedField = 'adjudicationNotes' | 'reportReference';

export const SEALED_COLUMNS: Readonly<Record<SealedField, string>> = {
  adjudicationNotes: 'adjudication_notes_ciphertext',
  reportReference: 'report_reference_ciphertext',
};

/** Binds a value to its row and column, so a token copied elsewhere does not decrypt. */
export function sealContext(checkId: string, field: SealedField): string {
  return `bgcheck:${checkId}:${field}`;
}

/**
 * Encrypts and decrypts the sensitive fields of a background check. A token that fails its
 * integrity check throws (CiphertextTampered): a page shows an error, never a garbled value.
 */
@Injectable()
export class BackgroundCheckSecrets {
  constructor(private readonly cipher: DataCipher) {}

  seal(checkId: string, field: SealedField, plaintext: string | null | undefined): string | null {
    return plaintext ? this.cipher.encrypt(plaintext, sealContext(checkId, field)) : null;
  }

  open(checkId: string, field: SealedField, token: string | null | undefined): string | null {
    return token ? this.cipher.decrypt(token, sealContext(checkId, field)) : null;
  }
}
