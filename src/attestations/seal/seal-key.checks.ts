import type { KeyObject, X509Certificate } from 'node:crypto';
import { ConfigError } from '../../config/config.error';

/** A seal key and certificate as read, with the variables an operator would fix. */
export interface SealMaterial {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** Further certificates to embed (intermediates), never the seal certificate itself. */
  readonly chain: readonly X509Certificate[];
  readonly keyVariable: string;
  readonly certVariable: string;
  /** Added to every message, e.g. how to regenerate a development seal. */
  readonly hint?: string;
}

const SUPPORTED = 'seals need an RSA key of at least 2048 bits or an ECDSA P-256 key';

/** One start-up refusal, naming the variable and never its value. */
export function sealConfigError(variable: string, problem: string): ConfigError {
  return new ConfigError([{ variable, problem }]);
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Why this key cannot seal, or undefined when it can. */
export function unsupportedKey(key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return (details?.modulusLength ?? 0) >= 2048
        ? undefined
        : `holds an RSA ${details?.modulusLength ?? '?'}-bit key; ${SUPPORTED}`;
    case 'ec':
      return details?.namedCurve === 'prime256v1'
        ? undefined
        : `holds an ECDSA key on curve ${details?.namedCurve ?? '?'}; ${SUPPORTED}`;
    default:
      return `holds an ${key.asymmetricKeyType ?? 'unknown'} key; ${SUPPORTED}`;
  }
}

/**
 * Refuses a seal that would produce signatures a verifier rejects: an unsupported key, a
 * certificate outside its validity period, or a certificate for another key.
 */
export function checkSealMaterial(material: SealMaterial, now: Date): void {
  const { privateKey, certificate, keyVariable, certVariable } = material;
  const hint = material.hint ? `; ${material.hint}` : '';
  const keyProblem = unsupportedKey(privateKey);
  if (keyProblem) throw sealConfigError(keyVariable, keyProblem + hint);
  if (certificate.validToDate.getTime() < now.getTime()) {
    throw sealConfigError(
      certVariable,
      `holds a seal certificate that expired on ${day(certificate.validToDate)}; renew it${hint}`,
    );
  }
  if (certificate.validFromDate.getTime() > now.getTime()) {
    throw sealConfigError(
      certVariable,
      `holds a seal certificate that is not valid until ${day(certificate.validFromDate)}; check the clock or the certificate${hint}`,
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw sealConfigError(
      certVariable,
      `holds a certificate that does not match the private key in ${keyVariable}${hint}`,
    );
  }
}
