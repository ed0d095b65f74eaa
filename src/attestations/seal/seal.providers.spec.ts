import { X509Certificate } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { sealConfig, sealKeyPair } from '../../../test/factories/seal-key.factory';
import { sealablePdf } from '../../../test/factories/sealable-pdf.factory';
import { CommonModule } from '../../common/common.module';
import type { AppConfig } from '../../config/app-config';
import { ConfigError } from '../../config/config.error';
import { ConfigModule } from '../../config/config.module';
import { AttestationVerifier } from '../verify/attestation-verifier';
import { DocumentSealer } from './document-sealer';
import { SealIdentity } from './seal-identity';
import { SEAL_PROVIDERS } from './seal.providers';

function compile(config: AppConfig) {
  return Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), CommonModule],
    providers: SEAL_PROVIDERS,
  }).compile();
}

describe('SEAL_PROVIDERS', () => {
  it('loads the seal once and provides the sealer, verifier and seal identity', async () => {
    const pair = await sealKeyPair({ commonName: 'Example seal' });
    const sut = await compile(sealConfig({ key: pair.keyPem, cert: pair.certPem }));
    const identity = sut.get(SealIdentity);
    expect(identity.subject).toBe('CN=Example seal');
    expect(identity.fingerprintSha256).toBe(new X509Certificate(pair.certPem).fingerprint256);
    expect(identity.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const pdf = await sut.get(DocumentSealer).seal((await sealablePdf()).doc, {
      reason: 'Attestation',
      name: 'Example Ltd',
    });
    const result = await sut.get(AttestationVerifier).verify(pdf, { maxBytes: 1e7 });
    expect(result.valid).toBe(true);
    await sut.close();
  });

  it('stops the start when the seal is unusable', async () => {
    const weak = await sealKeyPair({ kind: 'rsa1024' });
    await expect(compile(sealConfig({ key: weak.keyPem, cert: weak.certPem }))).rejects.toThrow(
      ConfigError,
    );
  });
});
