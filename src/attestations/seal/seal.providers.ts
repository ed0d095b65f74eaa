import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AttestationVerifier } from '../verify/attestation-verifier';
import { DocumentSealer } from './document-sealer';
import { SealIdentity } from './seal-identity';
import { loadSealKeys, SEAL_KEYS, type SealKeys } from './seal-keys';
import { TIMESTAMP_AUTHORITY, TimestampAuthorityClient } from './timestamp-authority.client';

/**
 * The seal (loaded and checked once at start, so a bad key stops the start rather than the
 * first signature), the sealer, the verifier and the seal's identity. Needs APP_CONFIG and Clock.
 */
export const SEAL_PROVIDERS: Provider[] = [
  {
    provide: SEAL_KEYS,
    useFactory: (config: AppConfig) => loadSealKeys(config),
    inject: [APP_CONFIG],
  },
  {
    provide: TIMESTAMP_AUTHORITY,
    useFactory: (keys: SealKeys) =>
      keys.tsaUrl ? new TimestampAuthorityClient(keys.tsaUrl) : null,
    inject: [SEAL_KEYS],
  },
  SealIdentity,
  DocumentSealer,
  AttestationVerifier,
];

export const SEAL_EXPORTS = [SEAL_KEYS, SealIdentity, DocumentSealer, AttestationVerifier];
