import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { HASH_NAMES, OID } from '../seal/cms-oids';

/** RSA PKCS#1 v1.5 and ECDSA signature algorithms, with the hash each implies (if any). */
const SIGNATURE_HASHES: Readonly<Record<string, string | null>> = {
  [OID.rsaEncryption]: null,
  [OID.sha256WithRsa]: 'sha256',
  [OID.sha384WithRsa]: 'sha384',
  [OID.sha512WithRsa]: 'sha512',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
};

/** Parses a DER ContentInfo holding SignedData; throws if it is anything else. */
export function parseSignedData(der: Buffer): pkijs.SignedData {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  if (contentInfo.contentType !== OID.signedData) throw new Error('not a SignedData');
  return new pkijs.SignedData({ schema: contentInfo.content });
}

/** The certificate the signer info names (by issuer and serial number), as X.509. */
export function signerCertificate(
  signedData: pkijs.SignedData,
  signerInfo: pkijs.SignerInfo,
): X509Certificate | undefined {
  const sid = signerInfo.sid as unknown;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return undefined;
  const match = (signedData.certificates ?? []).find(
    (cert): cert is pkijs.Certificate =>
      cert instanceof pkijs.Certificate &&
      cert.issuer.isEqual(sid.issuer) &&
      cert.serialNumber.isEqual(sid.serialNumber),
  );
  return match && new X509Certificate(Buffer.from(match.toSchema().toBER()));
}

export function attributeValue(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  type: string,
): asn1js.AsnType | undefined {
  return attributes?.attributes.find((attribute) => attribute.type === type)?.values[0];
}

export function digestName(signerInfo: pkijs.SignerInfo): string | undefined {
  return HASH_NAMES[signerInfo.digestAlgorithm.algorithmId];
}

/** Hash of some content with the signer info's digest algorithm. */
export function contentDigest(signerInfo: pkijs.SignerInfo, parts: readonly Buffer[]): Buffer {
  const hash = createHash(digestName(signerInfo) ?? 'sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RFC 5652 §11.2: the messageDigest signed attribute equals the content's digest. */
export function digestMatches(signerInfo: pkijs.SignerInfo, digest: Buffer): boolean {
  const value = attributeValue(signerInfo.signedAttrs, OID.messageDigest);
  return value instanceof asn1js.OctetString && Buffer.from(value.getValue()).equals(digest);
}

/** RFC 5652 §5.4: the signature over the DER of the signed attributes, with this key. */
export function signatureVerifies(
  signerInfo: pkijs.SignerInfo,
  certificate: X509Certificate,
): boolean {
  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  if (!(algorithm in SIGNATURE_HASHES) || !signerInfo.signedAttrs) return false;
  const hash = SIGNATURE_HASHES[algorithm] ?? digestName(signerInfo);
  if (!hash) return false;
  // pkijs keeps the attributes' original bytes, already re-tagged as SET OF (0x31).
  const signed = Buffer.from(signerInfo.signedAttrs.encodedValue);
  try {
    return verify(
      hash,
      signed,
      { key: certificate.publicKey, dsaEncoding: 'der' },
      Buffer.from(signerInfo.signature.getValue()),
    );
  } catch {
    return false;
  }
}

/** RFC 5035 §3: signing-certificate-v2 names this certificate by its SHA-256 (the default). */
export function signingCertificateMatches(
  signerInfo: pkijs.SignerInfo,
  certificate: X509Certificate,
): boolean {
  const value = attributeValue(signerInfo.signedAttrs, OID.signingCertificateV2);
  if (!(value instanceof asn1js.Sequence)) return false;
  const certs = value.valueBlock.value[0];
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) return false;
  const [head, next] = first.valueBlock.value;
  // hashAlgorithm is present only when it is not the default SHA-256.
  const hashAlgorithm =
    head instanceof asn1js.Sequence ? new pkijs.AlgorithmIdentifier({ schema: head }) : undefined;
  const certHash = hashAlgorithm ? next : head;
  const hash = hashAlgorithm ? HASH_NAMES[hashAlgorithm.algorithmId] : 'sha256';
  if (!hash || !(certHash instanceof asn1js.OctetString)) return false;
  const expected = createHash(hash).update(certificate.raw).digest();
  return Buffer.from(certHash.getValue()).equals(expected);
}
