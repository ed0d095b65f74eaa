import type { X509Certificate } from 'node:crypto';
import type * as pkijs from 'pkijs';
import {
  contentDigest,
  digestMatches,
  parseSignedData,
  signatureVerifies,
  signerCertificate,
  signingCertificateMatches,
} from '../attestations/verify/cms-signer.verification';

export type DetachedSignatureResult =
  | { readonly valid: true; readonly certificate: X509Certificate }
  | {
      readonly valid: false;
      readonly problem:
        'malformed' | 'foreign-certificate' | 'digest-mismatch' | 'signature-invalid';
    };

/**
 * RFC 5652 detached SignedData over `content`, as `openssl cms -verify -binary -content`
 * checks it, but against the pinned seal certificates rather than a CA store: one signer, no
 * encapsulated content, a messageDigest equal to the content's, a valid signature, and
 * signing-certificate-v2 naming that very certificate.
 */
export function verifyDetachedSignature(
  signatureDer: Buffer,
  content: Buffer,
  trusted: ReadonlyMap<string, X509Certificate>,
): DetachedSignatureResult {
  let signedData: pkijs.SignedData;
  try {
    signedData = parseSignedData(signatureDer);
  } catch {
    return { valid: false, problem: 'malformed' };
  }
  if (signedData.signerInfos.length !== 1 || signedData.encapContentInfo.eContent) {
    return { valid: false, problem: 'malformed' };
  }
  const signerInfo = signedData.signerInfos[0];
  const certificate = signerCertificate(signedData, signerInfo);
  if (!certificate || !trusted.has(certificate.fingerprint256)) {
    return { valid: false, problem: 'foreign-certificate' };
  }
  if (!digestMatches(signerInfo, contentDigest(signerInfo, [content]))) {
    return { valid: false, problem: 'digest-mismatch' };
  }
  if (
    !signatureVerifies(signerInfo, certificate) ||
    !signingCertificateMatches(signerInfo, certificate)
  ) {
    return { valid: false, problem: 'signature-invalid' };
  }
  return { valid: true, certificate };
}
