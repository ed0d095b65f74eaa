import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';

export const SigningLinkSchema = defineEntity({
  name: 'SigningLink',
  tableName: 'signing_link',
  properties: {
    id: p.uuid().primary(),
    /** The leaver it lets sign. */
    person: () => p.manyToOne(PersonSchema).index(),
    /** SHA-256 (hex) of the secret; the secret is shown once to HR and never stored. */
    tokenHash: p.string().length(64).unique(),
    /** Person id of the HR person who created it: named in every signature made through it. */
    createdBy: p.uuid(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.uuid().nullable(),
    /** When a signature completed through it: from then on it opens nothing. */
    usedAt: p.datetime().nullable(),
    signatureId: p.uuid().nullable(),
  },
});

/**
 * A one-time link HR gives a leaver whose sign-in has ended, so that they can read and sign
 * their offboarding documents, and nothing else.
 */
export class SigningLink extends SigningLinkSchema.class {}
SigningLinkSchema.setClass(SigningLink);
