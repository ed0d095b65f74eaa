import type { KeyObject, X509Certificate } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import { checkSealMaterial, type SealMaterial, sealConfigError } from './seal-key.checks';
import {
  certificatesIn,
  developmentSealMaterial,
  pemOrFile,
  pemSealMaterial,
  pkcs12SealMaterial,
} from './seal-key.sources';

/** Injection token for {@link SealKeys}. */
export const SEAL_KEYS = Symbol('SEAL_KEYS');

/**
 * The seal, loaded and checked once at start. The private key stays a KeyObject: it is never
 * exported, logged or written anywhere (a KeyObject prints no key material).
 */
export interface SealKeys {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** Intermediate certificates embedded after the seal certificate. */
  readonly chain: readonly X509Certificate[];
  /** Certificates whose seals verify: this one first, then SEAL_PINNED_CERTS. */
  readonly trusted: readonly X509Certificate[];
  /** RFC 3161 time-stamping authority, when configured. */
  readonly tsaUrl: string | undefined;
}

async function materialFor(config: AppConfig): Promise<SealMaterial> {
  const { signing } = config;
  if (signing.p12) return pkcs12SealMaterial(signing);
  if (signing.key && signing.cert) return pemSealMaterial(signing);
  if (config.isProduction) {
    // loadConfig already refuses this; kept so the module never seals with a generated key.
    throw sealConfigError('SIGNING_P12', 'is required in production to seal attestations');
  }
  return developmentSealMaterial(config);
}

/** Reads and checks the configured seal; any problem stops the start naming its variable. */
export async function loadSealKeys(config: AppConfig, now = new Date()): Promise<SealKeys> {
  const material = await materialFor(config);
  checkSealMaterial(material, now);
  const pinned = config.signing.pinnedCerts
    ? certificatesIn(
        pemOrFile(config.signing.pinnedCerts, 'SEAL_PINNED_CERTS'),
        'SEAL_PINNED_CERTS',
      )
    : [];
  return Object.freeze({
    privateKey: material.privateKey,
    certificate: material.certificate,
    chain: Object.freeze([...material.chain]),
    trusted: Object.freeze([material.certificate, ...pinned]),
    tsaUrl: config.signing.tsaUrl,
  });
}
