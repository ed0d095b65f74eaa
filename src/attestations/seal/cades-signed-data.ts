import { createHash, type KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids';
import { TAG, tlv } from './der-writer';
import type { SealKeys } from './seal-keys';
import type { TimestampAuthority } from './timestamp-authority.client';

const signAsync = promisify(sign);

/** Room for the CMS around its certificates: attributes, signature and framing. */
const CMS_OVERHEAD_BYTES = 2048;
/** Room for an RFC 3161 token (TSTInfo, the TSA's signature and its certificate chain). */
const TIMESTAMP_TOKEN_BYTES = 12_288;
const DIGEST_BYTES = 32;

function der(schema: { toBER(): ArrayBuffer }): Buffer {
  return Buffer.from(schema.toBER());
}

function attribute(type: string, value: asn1js.AsnType): Buffer {
  return der(new pkijs.Attribute({ type, values: [value] }).toSchema());
}

/** ESS SigningCertificateV2 (RFC 5035 §3): binds the signature to exactly this certificate. */
function signingCertificateV2(certificate: pkijs.Certificate, certificateDer: Buffer): Buffer {
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      // hashAlgorithm DEFAULT id-sha256 is omitted, as DER requires for a default value.
      new asn1js.OctetString({ valueHex: createHash('sha256').update(certificateDer).digest() }),
      new asn1js.Sequence({
        value: [
          new pkijs.GeneralNames({
            names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })],
          }).toSchema(),
          new asn1js.Integer({ valueHex: certificate.serialNumber.valueBlock.valueHexView }),
        ],
      }),
    ],
  });
  const value = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
  return attribute(OID.signingCertificateV2, value);
}

/** The parts of a signature that are the same every time, encoded once with pkijs. */
interface Template {
  readonly contentInfoOid: Buffer;
  readonly version: Buffer;
  readonly digestAlgorithms: Buffer;
  readonly encapContentInfo: Buffer;
  readonly certificates: Buffer;
  readonly sid: Buffer;
  readonly digestAlgorithm: Buffer;
  readonly signatureAlgorithm: Buffer;
  /** The signed attributes in DER SET OF order, the messageDigest one with a blank digest. */
  readonly attributes: readonly Buffer[];
  readonly messageDigestIndex: number;
}

function templateFor(keys: SealKeys): Template {
  const signer = pkijs.Certificate.fromBER(keys.certificate.raw);
  const sha256 = der(new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }).toSchema());
  const isRsa = keys.privateKey.asymmetricKeyType === 'rsa';
  const blankDigest = new asn1js.OctetString({ valueHex: new Uint8Array(DIGEST_BYTES) });
  // PAdES B-B (ETSI EN 319 142-1 §5.2.1): contentType, messageDigest and
  // signing-certificate-v2, and no signing-time attribute; the time is the dictionary's /M.
  const messageDigest = attribute(OID.messageDigest, blankDigest);
  // X.690 §11.6: a DER SET OF is sorted by the encodings of its elements. The digest is the
  // last bytes of its attribute, so the order does not depend on it.
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    messageDigest,
    signingCertificateV2(signer, keys.certificate.raw),
  ].sort((a, b) => Buffer.compare(a, b));
  return {
    contentInfoOid: der(new asn1js.ObjectIdentifier({ value: OID.signedData })),
    version: der(new asn1js.Integer({ value: 1 })),
    digestAlgorithms: tlv(TAG.set, sha256),
    encapContentInfo: tlv(TAG.sequence, der(new asn1js.ObjectIdentifier({ value: OID.data }))),
    // Embedded exactly as configured, so the signer certificate's fingerprint is preserved.
    certificates: tlv(TAG.context0, ...[keys.certificate, ...keys.chain].map((c) => c.raw)),
    sid: der(
      new pkijs.IssuerAndSerialNumber({
        issuer: signer.issuer,
        serialNumber: signer.serialNumber,
      }).toSchema(),
    ),
    digestAlgorithm: sha256,
    signatureAlgorithm: der(
      (isRsa
        ? new pkijs.AlgorithmIdentifier({
            algorithmId: OID.sha256WithRsa,
            algorithmParams: new asn1js.Null(),
          })
        : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 })
      ).toSchema(),
    ),
    attributes,
    messageDigestIndex: attributes.indexOf(messageDigest),
  };
}

/**
 * CAdES detached SignedData (ETSI EN 319 122-1 baseline B; with a TSA, T) over a SHA-256
 * content digest. The fixed parts are encoded once with pkijs and each signature only joins
 * them around its digest: re-encoding them with pkijs cost about 3.5 ms a seal, three times
 * the RSA signature. node:crypto signs on the libuv thread pool, off the event loop.
 */
export class CadesSignedData {
  private readonly template: Template;
  private readonly privateKey: KeyObject;
  /** Upper bound of the DER size of one signature, for sizing the PDF placeholder. */
  readonly maxBytes: number;

  constructor(
    keys: SealKeys,
    private readonly timestamps: TimestampAuthority | null,
  ) {
    this.template = templateFor(keys);
    this.privateKey = keys.privateKey;
    this.maxBytes =
      CMS_OVERHEAD_BYTES +
      this.template.certificates.length +
      (timestamps ? TIMESTAMP_TOKEN_BYTES : 0);
  }

  /** DER ContentInfo holding the SignedData, without encapsulated content. */
  async sign(contentDigest: Buffer): Promise<Buffer> {
    if (contentDigest.length !== DIGEST_BYTES) throw new Error('Expected a SHA-256 digest.');
    const t = this.template;
    const attributes = t.attributes.map((encoded, i) =>
      i === t.messageDigestIndex
        ? Buffer.concat([encoded.subarray(0, encoded.length - DIGEST_BYTES), contentDigest])
        : encoded,
    );
    // RFC 5652 §5.4: the signature covers the attributes' DER with an explicit SET OF tag.
    const signature = await signAsync('sha256', tlv(TAG.set, ...attributes), {
      key: this.privateKey,
      dsaEncoding: 'der',
    });
    const signerInfo = [
      t.version,
      t.sid,
      t.digestAlgorithm,
      tlv(TAG.context0, ...attributes),
      t.signatureAlgorithm,
      tlv(TAG.octetString, signature),
    ];
    if (this.timestamps) {
      // PAdES B-T (ETSI EN 319 142-1 §5.3): an RFC 3161 token over the signature value,
      // carried as the id-aa-signatureTimeStampToken unsigned attribute (RFC 3161 appendix A).
      const token = await this.timestamps.timestamp(signature);
      const tokenAttribute = tlv(
        TAG.sequence,
        der(new asn1js.ObjectIdentifier({ value: OID.signatureTimeStampToken })),
        tlv(TAG.set, token),
      );
      signerInfo.push(tlv(TAG.context1, tokenAttribute));
    }
    const signedData = tlv(
      TAG.sequence,
      t.version,
      t.digestAlgorithms,
      t.encapContentInfo,
      t.certificates,
      tlv(TAG.set, tlv(TAG.sequence, ...signerInfo)),
    );
    return tlv(TAG.sequence, t.contentInfoOid, tlv(TAG.context0, signedData));
  }
}
