import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../../people/person.entity';

export const TotpCredentialSchema = defineEntity({
  name: 'TotpCredential',
  tableName: 'totp_credential',
  properties: {
    id: p.uuid().primary(),
    /** One authenticator per person: re-enrolling replaces the unconfirmed one. */
    person: () => p.manyToOne(PersonSchema).unique(),
    /** The base32 secret, encrypted by DataCipher under the context `totp:<personId>`. */
    secretCiphertext: p.text(),
    /** Null until the person proves with a code that their authenticator holds the secret. */
    confirmedAt: p.datetime().nullable(),
    /**
     * The last 30-second step a code was accepted for. RFC 6238 §5.2: a verifier must not accept
     * the same code twice, so only later steps are accepted after it.
     */
    lastUsedStep: p.bigint('number').nullable(),
    createdAt: p.datetime(),
  },
});

/** A person's TOTP authenticator secret, encrypted at rest. */
export class TotpCredential extends TotpCredentialSchema.class {}
TotpCredentialSchema.setClass(TotpCredential);
