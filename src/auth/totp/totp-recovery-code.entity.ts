import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../../people/person.entity';

export const TotpRecoveryCodeSchema = defineEntity({
  name: 'TotpRecoveryCode',
  tableName: 'totp_recovery_code',
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema).index(),
    /**
     * `s1$<salt>$<scrypt>` of the normalised 80-bit code (see recovery-codes.ts): salted and
     * slow, so a database leak yields no usable codes.
     */
    codeHash: p.string().length(64),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

/** A single-use code that stands in for the authenticator when it is lost. */
export class TotpRecoveryCode extends TotpRecoveryCodeSchema.class {}
TotpRecoveryCodeSchema.setClass(TotpRecoveryCode);
