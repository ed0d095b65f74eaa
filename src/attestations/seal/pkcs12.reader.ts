import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const X509_CERT_TYPE = '1.2.840.113549.1.9.22.1';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
/** PKCS #12 v1.1 (RFC 7292) appendix C: the pbeWithSHAAnd…(RC2, RC4, 3DES) family. */
const LEGACY_PBE_PREFIX = '1.2.840.113549.1.12.1.';

export type Pkcs12Problem = 'unreadable' | 'wrong-passphrase' | 'legacy-encryption' | 'no-key';

/** Why a PKCS#12 file could not be read; carries no secret and no file content. */
export class Pkcs12Error extends Error {
  constructor(readonly problem: Pkcs12Problem) {
    super(`PKCS#12 ${problem}`);
    this.name = 'Pkcs12Error';
  }
}

export interface Pkcs12Contents {
  readonly privateKey: KeyObject;
  /** Every certificate in the file, in file order. */
  readonly certificates: readonly X509Certificate[];
}

function isLegacy(algorithmId: string): boolean {
  return algorithmId.startsWith(LEGACY_PBE_PREFIX);
}

/**
 * Opens a password-protected PKCS#12 file with pkijs on WebCrypto. pkijs implements PBES2
 * (PBKDF2 + AES), the OpenSSL 3 default; the legacy RC2/3DES schemes are reported, not read.
 */
export async function readPkcs12(der: Buffer, passphrase: string): Promise<Pkcs12Contents> {
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(new Uint8Array(der));
  } catch {
    throw new Pkcs12Error('unreadable');
  }
  const password = new TextEncoder().encode(passphrase).buffer;
  try {
    // A file without a MAC (openssl -nomac) has no integrity to check; a wrong passphrase
    // then shows up as a decryption failure below.
    await pfx.parseInternalValues({ password, checkIntegrity: pfx.macData !== undefined });
  } catch {
    throw new Pkcs12Error('wrong-passphrase');
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Pkcs12Error('unreadable');
  for (const content of safe.safeContents) {
    if (content.contentType !== ENCRYPTED_DATA) continue;
    // A copy: pkijs consumes the schema object it parses, and decryption below needs it.
    const encrypted = pkijs.EncryptedData.fromBER((content.content as asn1js.BaseBlock).toBER());
    if (isLegacy(encrypted.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId)) {
      throw new Pkcs12Error('legacy-encryption');
    }
  }
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password })) });
  } catch {
    throw new Pkcs12Error('wrong-passphrase');
  }

  let privateKey: KeyObject | undefined;
  const certificates: X509Certificate[] = [];
  for (const { value } of safe.parsedValue?.safeContents ?? []) {
    for (const bag of value.safeBags) {
      if (bag.bagId === SHROUDED_KEY_BAG) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        if (isLegacy(shrouded.encryptionAlgorithm.algorithmId)) {
          throw new Pkcs12Error('legacy-encryption');
        }
        privateKey ??= pkcs8Key(await decryptKeyBag(shrouded, password));
      } else if (bag.bagId === KEY_BAG) {
        privateKey ??= pkcs8Key((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER());
      } else if (bag.bagId === CERT_BAG) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId !== X509_CERT_TYPE) continue;
        const cert = certBag.parsedValue as pkijs.Certificate;
        certificates.push(new X509Certificate(Buffer.from(cert.toSchema().toBER())));
      }
    }
  }
  if (!privateKey) throw new Pkcs12Error('no-key');
  return { privateKey, certificates };
}

/** EncryptedPrivateKeyInfo → PKCS#8 DER (what pkijs's protected parseInternalValues does). */
async function decryptKeyBag(
  bag: pkijs.PKCS8ShroudedKeyBag,
  password: ArrayBuffer,
): Promise<ArrayBuffer> {
  const encrypted = new pkijs.EncryptedData({
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentEncryptionAlgorithm: bag.encryptionAlgorithm,
      encryptedContent: bag.encryptedData,
    }),
  });
  try {
    return await encrypted.decrypt({ password });
  } catch {
    throw new Pkcs12Error('wrong-passphrase');
  }
}

function pkcs8Key(der: ArrayBuffer): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Pkcs12Error('no-key');
  }
}
