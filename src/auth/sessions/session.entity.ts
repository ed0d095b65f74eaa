import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../../people/person.entity';

export const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: p.uuid().primary(),
    /** SHA-256 of the cookie token: a database leak does not yield usable cookies. */
    tokenHash: p.string().length(64).unique(),
    person: () => p.manyToOne(PersonSchema).index(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    /** Absolute limit, set at creation. */
    expiresAt: p.datetime(),
    totpVerifiedAt: p.datetime().nullable(),
    /** How the person authenticated, kept as evidence for what they sign in this session. */
    /** The sign-in protocol: `saml` (SAML 2.0) or `oidc` (OpenID Connect). */
    authMethod: p.string().length(8).default('saml'),
    /** The SAML IdP's entity ID, or the OpenID Provider's issuer. */
    idpEntityId: p.string().length(512),
    nameId: p.string().length(512),
    nameIdFormat: p.string().length(256).nullable(),
    sessionIndex: p.string().length(256).nullable(),
    authnInstant: p.datetime().nullable(),
    authnContextClassRef: p.string().length(256).nullable(),
    mfa: p.boolean().nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    endedAt: p.datetime().nullable().index(),
    endedReason: p.string().length(40).nullable(),
  },
});

/** A signed-in browser. Server-side only: the cookie carries a random token, nothing else. */
export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
