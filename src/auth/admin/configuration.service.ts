import { X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SEAL_KEYS, type SealKeys } from '../../attestations/seal/seal-keys';
import { humanDate, humanInstant, label, plural } from '../../common/labels';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { RequirementRules } from '../../requirements/requirement-rules';
import type { RequirementRule } from '../../requirements/requirement-rule';
import { IDENTITY_PROVIDER, type IdentityProvider } from '../saml/identity-provider';
import { ConfigurationRepository } from './configuration.repository';

/** A public certificate as the page shows it: nothing in it is secret. */
export interface CertificateView {
  subject: string;
  issuer: string;
  fingerprintSha256: string;
  validFrom: { iso: string; text: string };
  validTo: { iso: string; text: string };
  expired: boolean;
}

export interface ConfigurationView {
  title: string;
  organisation: string;
  publicUrl: string;
  idp: {
    name: string;
    entityId: string;
    ssoUrl: string;
    sloUrl: string | null;
    certificates: CertificateView[];
  };
  /** OpenID Connect: the idp block names the issuer and authorization endpoint instead. */
  oidc: boolean;
  sp: { entityId: string; acsUrl: string };
  roleMap: { group: string; roles: string }[];
  seal: {
    certificate: CertificateView;
    chainLength: number;
    pinned: number;
    tsa: string | null;
    level: string;
  };
  rules: {
    id: string;
    kind: string;
    subject: string;
    appliesTo: string;
    due: string;
    recurrence: string;
  }[];
  documents: {
    title: string;
    kind: string;
    version: string;
    effective: { iso: string; text: string };
  }[];
}

function certificateView(cert: X509Certificate, now: Date): CertificateView {
  const to = new Date(cert.validTo);
  const from = new Date(cert.validFrom);
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    fingerprintSha256: cert.fingerprint256,
    validFrom: { iso: from.toISOString(), text: humanInstant(from) },
    validTo: { iso: to.toISOString(), text: humanInstant(to) },
    expired: to.getTime() < now.getTime(),
  };
}

function appliesTo(rule: RequirementRule): string {
  const a = rule.appliesTo;
  const parts = [
    a.employmentTypes?.length ? a.employmentTypes.map(label).join(' or ') : null,
    a.countries?.length ? `in ${a.countries.join(', ')}` : null,
    a.excludeCountries?.length ? `outside ${a.excludeCountries.join(', ')}` : null,
    a.departments?.length ? `in ${a.departments.join(', ')}` : null,
    a.roles?.length ? `with the role ${a.roles.map(label).join(' or ')}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(', ') : 'Everyone';
}

function dueText(days: number): string {
  if (days === 0) return 'On the start date';
  return days > 0
    ? `${plural(days, 'day')} after the start date`
    : `${plural(-days, 'day')} before the start date`;
}

/**
 * The configuration in force, for an administrator to check: only what is public (entity ids,
 * URLs, certificates, the rules and documents). No secret is ever read here: not the session
 * secret, the data encryption key, nor any private key.
 */
@Injectable()
export class ConfigurationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IDENTITY_PROVIDER) private readonly idp: IdentityProvider,
    @Inject(SEAL_KEYS) private readonly seal: SealKeys,
    private readonly rules: RequirementRules,
    private readonly repository: ConfigurationRepository,
  ) {}

  async show(now: Date): Promise<ConfigurationView> {
    const documents = await this.repository.documentsInForce();
    const titles = new Map(documents.map((d) => [d.documentId, d.title]));
    const { saml, signing } = this.config;
    return {
      title: 'Configuration',
      organisation: this.config.organisationName,
      publicUrl: this.config.publicUrl,
      idp: {
        name: this.idp.demo
          ? 'The built-in demo identity provider (development only)'
          : this.config.oidc
            ? 'Your OpenID Provider (OpenID Connect)'
            : 'Your identity provider',
        entityId: this.idp.entityId,
        ssoUrl: this.idp.ssoUrl,
        sloUrl: this.idp.sloUrl ?? null,
        // Each was parsed at start-up (pem.ts, the metadata parser); a failure here is a bug.
        certificates: this.idp.certs.map((pem) => certificateView(new X509Certificate(pem), now)),
      },
      oidc: !!this.config.oidc,
      // For OIDC: the client id and the redirect URI to register, in the same two places.
      sp: this.config.oidc
        ? { entityId: this.config.oidc.clientId, acsUrl: this.config.oidc.redirectUri }
        : { entityId: saml.spEntityId, acsUrl: saml.acsUrl },
      roleMap: [...saml.roleMap.entries()].map(([group, roles]) => ({
        group,
        roles: roles.map(label).join(', '),
      })),
      seal: {
        certificate: certificateView(this.seal.certificate, now),
        chainLength: this.seal.chain.length,
        pinned: this.seal.trusted.length - 1,
        tsa: signing.tsaUrl ? withoutCredentials(signing.tsaUrl) : null,
        level: this.seal.tsaUrl
          ? 'PAdES B-T: each seal carries a time-stamp from the TSA'
          : 'PAdES B-B: no time-stamp authority is configured, so seals carry the server’s clock only',
      },
      rules: this.rules.all().map((rule) => ({
        id: rule.id,
        kind: label(rule.kind),
        subject: titles.get(rule.subject) ?? label(rule.subject),
        appliesTo: appliesTo(rule),
        due: dueText(rule.dueDaysAfterStart),
        recurrence: rule.recurrenceMonths
          ? `Every ${plural(rule.recurrenceMonths, 'month')}`
          : 'Once',
      })),
      documents: documents.map((d) => ({
        title: d.title,
        kind: label(d.kind),
        version: d.version,
        effective: { iso: d.effective, text: humanDate(d.effective) },
      })),
    };
  }
}

/**
 * A TSA's address as it may be shown: commercial TSAs often carry an account in the URL's user
 * information or query (RFC 3986 §3.2.1 deprecates the first), so only scheme, host and path.
 */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'set (not a valid URL)';
  }
}
