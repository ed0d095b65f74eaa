import { createHash, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import { PDFDocument } from 'pdf-lib';
import { sealablePdf } from '../../../test/factories/sealable-pdf.factory';
import { sealKeys } from '../../../test/factories/seal-key.factory';
import type { Clock } from '../../common/clock';
import { parseSignedData } from '../verify/cms-signer.verification';
import { contentsHex, scanSignatures } from '../verify/pdf-signature.scanner';
import { OID } from './cms-oids';
import { DocumentSealer } from './document-sealer';
import type { SealKeys } from './seal-keys';
import { TimestampUnavailable, type TimestampAuthority } from './timestamp-authority.client';

const NOW = new Date('2026-03-04T05:06:07Z');
const clock: Clock = { now: () => NOW };
const DETAILS = { reason: 'Attestation of acknowledgement', name: 'Example Ltd' };

function cmsOf(pdf: Buffer) {
  const [signature] = scanSignatures(pdf);
  const [, b, c] = signature.byteRange;
  return parseSignedData(Buffer.from(contentsHex(pdf, b, c)!, 'hex'));
}

function attributeTypes(attrs: { attributes: { type: string }[] } | undefined): string[] {
  return (attrs?.attributes ?? []).map((a) => a.type);
}

describe(DocumentSealer.name, () => {
  let keys: SealKeys;

  beforeAll(async () => {
    keys = await sealKeys();
  });

  it('seals with one signature whose byte range covers the whole file but /Contents', async () => {
    const sut = new DocumentSealer(keys, clock, null);
    const pdf = await sut.seal((await sealablePdf()).doc, DETAILS);

    const signatures = scanSignatures(pdf);
    expect(signatures).toHaveLength(1);
    const [a, b, c, d] = signatures[0].byteRange;
    expect(a).toBe(0);
    expect(c + d).toBe(pdf.length);
    expect(pdf.toString('latin1', b - 10, b + 1)).toBe('/Contents <');
    expect(pdf.toString('latin1', c - 1, c)).toBe('>');
    const text = pdf.toString('latin1');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toContain('/M (D:20260304050607Z)');
    expect(text).toContain('/Reason (Attestation of acknowledgement)');
    expect(text).toMatch(/%%EOF\s*$/);
  });

  it('signs PAdES B-B attributes, and no signing-time, over the byte range', async () => {
    const sut = new DocumentSealer(keys, clock, null);
    const pdf = await sut.seal((await sealablePdf()).doc, DETAILS);
    const [, b, c] = scanSignatures(pdf)[0].byteRange;
    const cms = cmsOf(pdf);
    const [signer] = cms.signerInfos;

    expect(attributeTypes(signer.signedAttrs).sort()).toEqual(
      [OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort(),
    );
    expect(attributeTypes(signer.signedAttrs)).not.toContain(OID.signingTime);
    expect(signer.unsignedAttrs).toBeUndefined();
    expect(cms.encapContentInfo.eContent).toBeUndefined();
    const digest = createHash('sha256').update(pdf.subarray(0, b)).update(pdf.subarray(c)).digest();
    const messageDigest = signer.signedAttrs!.attributes.find((x) => x.type === OID.messageDigest)!
      .values[0] as asn1js.OctetString;
    expect(Buffer.from(messageDigest.getValue()).equals(digest)).toBe(true);
    const signed = Buffer.from(signer.signedAttrs!.encodedValue);
    expect(
      verify(
        'sha256',
        signed,
        keys.certificate.publicKey,
        Buffer.from(signer.signature.getValue()),
      ),
    ).toBe(true);
  });

  it('seals with an ECDSA P-256 key', async () => {
    const ec = await sealKeys({ kind: 'p256' });
    const pdf = await new DocumentSealer(ec, clock, null).seal((await sealablePdf()).doc, DETAILS);
    const signer = cmsOf(pdf).signerInfos[0];
    expect(signer.signatureAlgorithm.algorithmId).toBe(OID.ecdsaWithSha256);
    const signed = Buffer.from(signer.signedAttrs!.encodedValue);
    expect(
      verify(
        'sha256',
        signed,
        { key: ec.certificate.publicKey, dsaEncoding: 'der' },
        Buffer.from(signer.signature.getValue()),
      ),
    ).toBe(true);
  });

  it('adds the TSA token over the signature value as signatureTimeStampToken (B-T)', async () => {
    const token = new asn1js.Sequence({ value: [new asn1js.Integer({ value: 7 })] }).toBER();
    const stamped: Buffer[] = [];
    const tsa: TimestampAuthority = {
      timestamp: (data) => {
        stamped.push(data);
        return Promise.resolve(Buffer.from(token));
      },
    };
    const pdf = await new DocumentSealer(keys, clock, tsa).seal((await sealablePdf()).doc, DETAILS);
    const signer = cmsOf(pdf).signerInfos[0];
    expect(stamped).toEqual([Buffer.from(signer.signature.getValue())]);
    expect(attributeTypes(signer.unsignedAttrs)).toEqual([OID.signatureTimeStampToken]);
    const value = signer.unsignedAttrs!.attributes[0].values[0];
    expect(Buffer.from(value.toBER()).equals(Buffer.from(token))).toBe(true);
  });

  it('fails the seal when the TSA fails, rather than sealing without a timestamp', async () => {
    const tsa: TimestampAuthority = {
      timestamp: () => Promise.reject(new TimestampUnavailable('HTTP 503')),
    };
    const sut = new DocumentSealer(keys, clock, tsa);
    await expect(sut.seal((await sealablePdf()).doc, DETAILS)).rejects.toThrow(
      TimestampUnavailable,
    );
  });

  it('signs detached CMS over arbitrary bytes, with the certificate embedded', async () => {
    const manifest = Buffer.from('{"files":[]}');
    const p7s = await new DocumentSealer(keys, clock, null).signDetached(manifest);
    const cms = parseSignedData(p7s);
    const [signer] = cms.signerInfos;
    const messageDigest = signer.signedAttrs!.attributes.find((x) => x.type === OID.messageDigest)!
      .values[0] as asn1js.OctetString;
    expect(Buffer.from(messageDigest.getValue())).toEqual(
      createHash('sha256').update(manifest).digest(),
    );
    expect(cms.encapContentInfo.eContent).toBeUndefined();
    expect(cms.certificates).toHaveLength(1);
  });

  it('can seal many documents with one instance, concurrently', async () => {
    const sut = new DocumentSealer(keys, clock, null);
    const docs = await Promise.all([1, 2, 3].map(() => sealablePdf()));
    const pdfs = await Promise.all(docs.map(({ doc }) => sut.seal(doc, DETAILS)));
    for (const pdf of pdfs) {
      const reloaded = await PDFDocument.load(pdf);
      expect(reloaded.getPageCount()).toBe(2);
    }
  });
});
