import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../access/principal';
import { ONE_TIME_LINK_PERMISSIONS } from '../access/role-permissions';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Person, PersonStatus } from '../people/person.entity';
import {
  ONE_TIME_LINK_AUTHENTICATION,
  type RequestContext,
  type SsoEvidence,
} from '../signatures/signing-evidence';
import { SigningLinkInvalid, SigningLinkRefused } from './offboarding.errors';
import { OffboardingDocuments } from './offboarding-documents.reader';
import { SigningLink } from './signing-link.entity';

/** Long enough to reach a leaver by post or personal email; short enough to limit a leak. */
export const SIGNING_LINK_DAYS = 14;
/** A link's session, once opened: enough to read and sign, not a standing credential. */
const LINK_SESSION_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The restricted principal of a link's session, and what the signature's evidence says. */
export interface LinkPrincipal extends Principal {
  readonly linkId: string;
  readonly openedAt: Date;
}

/**
 * One-time signing links for leavers whose sign-in has ended (SCIM `active: false`, terminated).
 *
 * Threat model. A leaked link lets its holder sign the leaver's offboarding documents as the
 * leaver: so it expires after 14 days, HR can revoke it, it opens only the leaver's open
 * offboarding documents (the access guard gives its session one permission, LeaverSign, and the
 * session exists only under /leaving), the typed name must still match, and the evidence says
 * plainly that the signer was authenticated by a link HR created, not by SSO or MFA. A replay
 * after use fails: the signature and the link's use commit in one transaction, and a used link
 * opens nothing. HR cannot create a link for themselves (segregation of duties), and every
 * creation, opening, use and revocation is audited with who and from where. Only the SHA-256 of
 * the secret is stored; the secret is shown to HR once. Opening takes a POST, so a mail
 * scanner that fetches the link does not open it.
 */
@Injectable()
export class SigningLinksService {
  constructor(
    private readonly em: EntityManager,
    private readonly documents: OffboardingDocuments,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates a link; the returned URL holds the only copy of its secret. */
  async create(actor: Principal, personId: string): Promise<{ url: string; expiresAt: Date }> {
    if (!mayDecideAbout(actor, personId)) throw new SigningLinkRefused();
    const em = this.em.fork();
    const person = await em.findOne(Person, { id: personId });
    const leaving = person && (person.status === PersonStatus.Terminated || person.endDate);
    if (!leaving || (await this.documents.openFor(personId)).length === 0) {
      throw new SigningLinkRefused();
    }
    const now = this.clock.now();
    const secret = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + SIGNING_LINK_DAYS * DAY_MS);
    await em.transactional(async (tx) => {
      tx.create(SigningLink, {
        id,
        person: personId,
        tokenHash: sha256Hex(secret),
        createdBy: actor.personId,
        createdAt: now,
        expiresAt,
      });
      await tx.flush();
      await this.audit.recordIn(tx, {
        action: 'signingLink.created',
        actorId: actor.personId,
        subjectType: 'person',
        subjectId: personId,
        details: { linkId: id, expiresAt: expiresAt.toISOString() },
      });
    });
    return {
      url: `${this.config.publicUrl.replace(/\/$/, '')}/leaving/links/${secret}`,
      expiresAt,
    };
  }

  async revoke(actor: Principal, personId: string, linkId: string): Promise<void> {
    if (!mayDecideAbout(actor, personId)) throw new SigningLinkRefused();
    const now = this.clock.now();
    await this.em.fork().transactional(async (tx) => {
      const changed = await tx.nativeUpdate(
        SigningLink,
        { id: linkId, person: personId, revokedAt: null, usedAt: null },
        { revokedAt: now, revokedBy: actor.personId },
      );
      if (changed === 0) throw new SigningLinkRefused();
      await this.audit.recordIn(tx, {
        action: 'signingLink.revoked',
        actorId: actor.personId,
        subjectType: 'person',
        subjectId: personId,
        details: { linkId },
      });
    });
  }

  /** Whether a secret names a link that still opens (for the landing page). */
  async isOpenable(secret: string): Promise<boolean> {
    return (await this.openable(this.em.fork(), secret)) !== null;
  }

  /**
   * Exchanges the link's secret for a session cookie that lives an hour, audited with where it
   * was opened from. The secret keeps working until a signature is completed through it.
   */
  async open(secret: string, context: RequestContext): Promise<string> {
    const em = this.em.fork();
    const link = await this.openable(em, secret);
    if (!link) throw new SigningLinkInvalid();
    const now = this.clock.now();
    const sessionId = randomUUID();
    await this.audit.record({
      action: 'signingLink.opened',
      actorId: link.person.id,
      subjectType: 'person',
      subjectId: link.person.id,
      details: { linkId: link.id, sessionId },
      ...context,
    });
    const expires = Math.min(now.getTime() + LINK_SESSION_MS, link.expiresAt.getTime());
    const payload = `${link.id}.${sessionId}.${now.getTime()}.${expires}`;
    return `${payload}.${this.mac(payload)}`;
  }

  /**
   * The restricted principal of a link session's cookie, or undefined when the cookie is forged
   * or over, or its link was used, revoked or has expired since.
   */
  async resolve(cookie: string): Promise<LinkPrincipal | undefined> {
    const parts = cookie.split('.');
    if (parts.length !== 5) return undefined;
    const [linkId, sessionId, opened, expires, mac] = parts;
    const payload = parts.slice(0, 4).join('.');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const now = this.clock.now();
    if (Number(expires) <= now.getTime()) return undefined;
    const link = await this.em.fork().findOne(SigningLink, { id: linkId });
    if (!link || !this.usable(link, now)) return undefined;
    return {
      personId: link.person.id,
      sessionId,
      roles: [],
      permissions: new Set(ONE_TIME_LINK_PERMISSIONS),
      totpVerified: false,
      csrfToken: this.mac(`csrf:${sessionId}`),
      linkId,
      openedAt: new Date(Number(opened)),
    };
  }

  /**
   * How the signer was authenticated, for the signature's evidence and its sealed PDF: by the
   * link, named with the HR person who created it, never as an SSO method or MFA.
   */
  async authenticationOf(principal: LinkPrincipal): Promise<SsoEvidence> {
    const em = this.em.fork();
    const link = await em.findOneOrFail(SigningLink, { id: principal.linkId });
    const creator = await em.findOne(Person, { id: link.createdBy });
    const by = creator ? `${creator.fullName} (${creator.email})` : link.createdBy;
    return {
      sessionId: principal.sessionId,
      authMethod: 'link',
      idpEntityId: ONE_TIME_LINK_AUTHENTICATION,
      nameId:
        `one-time link ${link.id} created by HR ${by} on ${link.createdAt.toISOString()}`.slice(
          0,
          512,
        ),
      authnInstant: principal.openedAt,
      mfa: false,
    };
  }

  /**
   * In the signature's transaction, before the signature: claims the link, so that its use
   * commits with the signature or not at all. False when it was used, revoked or expired
   * meanwhile: the caller rolls back.
   */
  async useIn(tx: EntityManager, linkId: string): Promise<boolean> {
    const now = this.clock.now();
    const changed = await tx.nativeUpdate(
      SigningLink,
      { id: linkId, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { usedAt: now },
    );
    return changed === 1;
  }

  /** Names the signature the link was used for, in the same transaction. */
  async recordSignatureIn(tx: EntityManager, linkId: string, signatureId: string): Promise<void> {
    await tx.nativeUpdate(SigningLink, { id: linkId }, { signatureId });
  }

  private async openable(em: EntityManager, secret: string): Promise<SigningLink | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
    const link = await em.findOne(SigningLink, { tokenHash: sha256Hex(secret) });
    return link && this.usable(link, this.clock.now()) ? link : null;
  }

  private usable(link: SigningLink, now: Date): boolean {
    return !link.usedAt && !link.revokedAt && link.expiresAt > now;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.config.secrets.sessionSecret)
      .update(`signing-link:${payload}`)
      .digest('base64url');
  }
}
