import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../../people/person.entity';

export const TotpRecoveryCodeSchema = defineEntity({
  name: 'TotpRecoveryCode',
  tableName: 'totp_recovery_code',
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema).index(),
    /**
     * SHA-256 hex of the normalised code. The codes are random with at least 50 bits each, so a
     * fast hash suffices; a database leak does not yield usable codes.
     */
    codeHash: p.string().length(64),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

/** A single-use code that stands in for the authenticator when it is lost. */
export class TotpRecoveryCode extends TotpRecoveryCodeSchema.class {}
TotpRecoveryCodeSchema.setClass(TotpRecoveryCode);
