import { createHash } from 'node:crypto';
import type * as pkijs from 'pkijs';
import { HASH_NAMES, OID } from '../seal/cms-oids';
import { parseTimestampToken } from '../seal/timestamp-token';
import {
  attributeValue,
  contentDigest,
  digestMatches,
  signatureVerifies,
  signerCertificate,
} from './cms-signer.verification';

/** RFC 3161 §2.3: a TSA certificate carries the (sole, critical) timeStamping purpose. */
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/**
 * Checks a signature timestamp (PAdES B-T): the token covers this signature value and the
 * TSA's own signature verifies with the certificate it embeds. Whether that TSA is trusted is
 * the relying party's call; the genTime is returned for display.
 */
export function verifySignatureTimestamp(signerInfo: pkijs.SignerInfo): Date | undefined {
  const value = attributeValue(signerInfo.unsignedAttrs, OID.signatureTimeStampToken);
  if (!value) return undefined;
  try {
    const token = parseTimestampToken(Buffer.from(value.toBER()));
    const { hashAlgorithm, hashedMessage } = token.tstInfo.messageImprint;
    const hash = HASH_NAMES[hashAlgorithm.algorithmId];
    if (!hash) return undefined;
    const imprint = createHash(hash).update(Buffer.from(signerInfo.signature.getValue())).digest();
    if (!imprint.equals(Buffer.from(hashedMessage.getValue()))) return undefined;

    const tsaSigner = token.signedData.signerInfos[0];
    const tsaCertificate = tsaSigner && signerCertificate(token.signedData, tsaSigner);
    if (!tsaCertificate || !(tsaCertificate.keyUsage ?? []).includes(TIME_STAMPING)) {
      return undefined;
    }
    const intact =
      digestMatches(tsaSigner, contentDigest(tsaSigner, [token.tstInfoDer])) &&
      signatureVerifies(tsaSigner, tsaCertificate);
    return intact ? token.tstInfo.genTime : undefined;
  } catch {
    return undefined;
  }
}
