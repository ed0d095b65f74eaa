import { readFile } from 'node:fs/promises';
import { OperatorError } from '../../common/errors/operator.error';
import type { AppConfig } from '../../config/app-config';
import { demoIdpCertificate, demoIdpEntityId, demoIdpSsoUrl } from '../demo-idp/demo-idp.module';
import { parseIdpMetadata } from './idp-metadata.parser';
import { certificatesIn, pemOrFile } from './pem';

/** The IdP Attest trusts, resolved once at start-up. */
export interface IdentityProvider {
  readonly entityId: string;
  readonly ssoUrl: string;
  readonly sloUrl: string | undefined;
  /** Signing certificates; two during a rollover. */
  readonly certs: readonly string[];
  readonly demo: boolean;
}

export const IDENTITY_PROVIDER = Symbol('IDENTITY_PROVIDER');

const METADATA_LIMIT = 1024 * 1024;

async function readMetadata(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) {
    return readFile(source, 'utf8').catch(() => {
      throw new OperatorError('SAML_IDP_METADATA is not a readable file or an http(s) URL.');
    });
  }
  const response = await fetch(source, { signal: AbortSignal.timeout(10_000) }).catch(() => {
    throw new OperatorError('SAML_IDP_METADATA could not be fetched; check the URL.');
  });
  const text = await response.text();
  if (!response.ok || text.length > METADATA_LIMIT) {
    throw new OperatorError(`SAML_IDP_METADATA answered ${response.status}; check the URL.`);
  }
  return text;
}

export async function resolveIdentityProvider(config: AppConfig): Promise<IdentityProvider> {
  const idp = config.saml.idp;
  if (!idp) {
    if (config.isProduction) throw new OperatorError('No SAML identity provider is configured.');
    return {
      entityId: demoIdpEntityId(config.publicUrl),
      ssoUrl: demoIdpSsoUrl(config.publicUrl),
      sloUrl: undefined,
      certs: [await demoIdpCertificate(config.dataDir)],
      demo: true,
    };
  }
  if (idp.metadata) {
    const metadata = parseIdpMetadata(await readMetadata(idp.metadata));
    return { ...metadata, sloUrl: idp.sloUrl ?? metadata.sloUrl, demo: false };
  }
  return {
    entityId: idp.entityId!,
    ssoUrl: idp.ssoUrl!,
    sloUrl: idp.sloUrl,
    certs: certificatesIn(pemOrFile(idp.cert!, 'SAML_IDP_CERT'), 'SAML_IDP_CERT'),
    demo: false,
  };
}
