import { defineEntity, p } from '@mikro-orm/core';

export const SamlRequestSchema = defineEntity({
  name: 'SamlRequest',
  tableName: 'saml_request',
  properties: {
    /** The AuthnRequest ID the response must answer (InResponseTo). */
    id: p.string().length(128).primary(),
    /** SHA-256 of the login cookie of the browser that started the login. */
    browserBindingHash: p.string().length(64),
    returnTo: p.string().length(2048),
    createdAt: p.datetime(),
    expiresAt: p.datetime().index(),
  },
});

/** A pending SP-initiated login. Consumed exactly once by the response that answers it. */
export class SamlRequest extends SamlRequestSchema.class {}
SamlRequestSchema.setClass(SamlRequest);

export const SamlAssertionUseSchema = defineEntity({
  name: 'SamlAssertionUse',
  tableName: 'saml_assertion_use',
  properties: {
    assertionId: p.string().length(256).primary(),
    /** Kept until the assertion itself expires; after that it cannot be replayed anyway. */
    expiresAt: p.datetime().index(),
    usedAt: p.datetime(),
  },
});

/** An assertion that has already signed someone in: a second use is a replay. */
export class SamlAssertionUse extends SamlAssertionUseSchema.class {}
SamlAssertionUseSchema.setClass(SamlAssertionUse);
