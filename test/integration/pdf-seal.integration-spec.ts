import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Clock } from '../../src/common/clock';
import { OID } from '../../src/attestations/seal/cms-oids';
import { DocumentSealer } from '../../src/attestations/seal/document-sealer';
import type { SealKeys } from '../../src/attestations/seal/seal-keys';
import {
  type TimestampAuthority,
  TimestampAuthorityClient,
  TimestampUnavailable,
} from '../../src/attestations/seal/timestamp-authority.client';
import { AttestationVerifier } from '../../src/attestations/verify/attestation-verifier';
import { parseSignedData } from '../../src/attestations/verify/cms-signer.verification';
import { contentsHex, scanSignatures } from '../../src/attestations/verify/pdf-signature.scanner';
import { sealablePdf } from '../factories/sealable-pdf.factory';
import { keyDir, sealKeys } from '../factories/seal-key.factory';
import { tamper } from '../factories/tampered-pdf.factory';
import { type OpensslTsa, startOpensslTsa } from '../helpers/openssl-tsa';
import { expectIndependentToolsAccept, fileWith, tool } from '../helpers/pdf-tools';

const DETAILS = { reason: 'Attestation of acknowledgement', name: 'Example Ltd' };
const LIMIT = { maxBytes: 10 * 1024 * 1024 };

/** The CMS and the exact bytes it signs, as separate files for openssl. */
function extractSignature(pdf: Buffer): { cms: Buffer; cmsFile: string; contentFile: string } {
  const [, b, c] = scanSignatures(pdf)[0].byteRange;
  const cms = Buffer.from(contentsHex(pdf, b, c)!, 'hex');
  const dir = keyDir();
  writeFileSync(join(dir, 'sig.der'), cms);
  writeFileSync(join(dir, 'signed.bin'), Buffer.concat([pdf.subarray(0, b), pdf.subarray(c)]));
  return { cms, cmsFile: join(dir, 'sig.der'), contentFile: join(dir, 'signed.bin') };
}

function opensslVerifies(cmsFile: string, contentFile: string, certFile: string): string {
  return tool('openssl', [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    cmsFile,
    '-content',
    contentFile,
    '-CAfile',
    certFile,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]).output;
}

describe('PDF seal, checked by pdfsig, qpdf, mutool and openssl', () => {
  let keys: SealKeys & { pair: { certPem: string } };
  let sealer: DocumentSealer;
  let verifier: AttestationVerifier;
  let tsa: OpensslTsa;

  beforeAll(async () => {
    keys = await sealKeys();
    sealer = new DocumentSealer(keys, new Clock(), null);
    verifier = new AttestationVerifier(keys);
    tsa = await startOpensslTsa();
  });

  afterAll(() => tsa.close());

  it('seals PAdES B-B that every independent verifier accepts (RSA)', async () => {
    const pdf = await sealer.seal((await sealablePdf({ pages: 3 })).doc, DETAILS);
    expectIndependentToolsAccept(pdf);

    const { cmsFile, contentFile } = extractSignature(pdf);
    const certFile = fileWith(keys.pair.certPem, 'seal.pem');
    expect(opensslVerifies(cmsFile, contentFile, certFile)).toContain('Verification successful');
    const printed = tool('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', cmsFile]);
    expect(printed.output).toContain('id-smime-aa-signingCertificateV2');
    expect(printed.output).toContain('contentType (1.2.840.113549.1.9.3)');
    expect(printed.output).toContain('messageDigest (1.2.840.113549.1.9.4)');
    // PAdES B-B: no signing-time attribute (1.2.840.113549.1.9.5).
    expect(printed.output).not.toContain('1.2.840.113549.1.9.5');
    expect((await verifier.verify(pdf, LIMIT)).valid).toBe(true);
  });

  it('seals with ECDSA P-256 that every independent verifier accepts', async () => {
    const ec = await sealKeys({ kind: 'p256' });
    const pdf = await new DocumentSealer(ec, new Clock(), null).seal(
      (await sealablePdf()).doc,
      DETAILS,
    );
    expectIndependentToolsAccept(pdf);
    const { cmsFile, contentFile } = extractSignature(pdf);
    expect(opensslVerifies(cmsFile, contentFile, fileWith(ec.pair.certPem, 'ec.pem'))).toContain(
      'Verification successful',
    );
  });

  it('signs a detached manifest.json.p7s that openssl cms verifies', async () => {
    const manifest = Buffer.from(JSON.stringify({ files: [{ path: 'a.pdf', sha256: 'ab' }] }));
    const p7s = fileWith(await sealer.signDetached(manifest), 'manifest.json.p7s');
    const content = fileWith(manifest, 'manifest.json');
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content];
    expect(tool('openssl', [...args, '-noverify', '-out', '/dev/null']).output).toContain(
      'Verification successful',
    );
    const edited = fileWith(Buffer.concat([manifest, Buffer.from(' ')]), 'manifest.json');
    const refused = tool('openssl', [
      ...args.slice(0, -1),
      edited,
      '-noverify',
      '-out',
      '/dev/null',
    ]);
    expect(refused.output).toContain('Verification failure');
  });

  it('adds an RFC 3161 signature timestamp from a TSA: PAdES B-T', async () => {
    const stamped = new DocumentSealer(keys, new Clock(), new TimestampAuthorityClient(tsa.url));
    const before = tsa.requests();
    const pdf = await stamped.seal((await sealablePdf()).doc, DETAILS);
    expect(tsa.requests()).toBe(before + 1);
    expectIndependentToolsAccept(pdf);

    const { cms, cmsFile, contentFile } = extractSignature(pdf);
    const signer = parseSignedData(cms).signerInfos[0];
    const token = signer.unsignedAttrs?.attributes.find(
      (a) => a.type === OID.signatureTimeStampToken,
    );
    expect(token).toBeDefined();
    // openssl checks the token independently: over the signature value, by the test TSA.
    const tokenFile = fileWith(Buffer.from(token!.values[0].toBER()), 'token.der');
    const dataFile = fileWith(Buffer.from(signer.signature.getValue()), 'signature.bin');
    const ts = tool('openssl', [
      'ts',
      '-verify',
      '-data',
      dataFile,
      '-in',
      tokenFile,
      '-token_in',
      '-CAfile',
      tsa.certFile,
    ]);
    expect(ts.output).toContain('Verification: OK');
    expect(
      opensslVerifies(cmsFile, contentFile, fileWith(keys.pair.certPem, 'seal.pem')),
    ).toContain('Verification successful');

    const result = await verifier.verify(pdf, LIMIT);
    expect(result).toMatchObject({ valid: true, level: 'B-T' });
    expect(result.valid && result.timestampedAt).toBeInstanceOf(Date);
  });

  it('refuses a timestamp that is not over the signature', async () => {
    const client = new TimestampAuthorityClient(tsa.url);
    const otherData: TimestampAuthority = {
      timestamp: () => client.timestamp(Buffer.from('some other signature')),
    };
    const pdf = await new DocumentSealer(keys, new Clock(), otherData).seal(
      (await sealablePdf()).doc,
      DETAILS,
    );
    expect(await verifier.verify(pdf, LIMIT)).toMatchObject({ reason: 'timestamp-invalid' });
  });

  it('fails the seal when the TSA cannot be reached', async () => {
    const down = new TimestampAuthorityClient('http://127.0.0.1:9/tsa', 2_000);
    const sut = new DocumentSealer(keys, new Clock(), down);
    await expect(sut.seal((await sealablePdf()).doc, DETAILS)).rejects.toThrow(
      TimestampUnavailable,
    );
  });

  describe('tampered variants', () => {
    let sealed: Buffer;

    beforeAll(async () => {
      sealed = await sealer.seal((await sealablePdf()).doc, DETAILS);
    });

    it.each([
      [
        'a flipped byte',
        (pdf: Buffer) => tamper.flipByte(pdf),
        'digest-mismatch',
        'Digest Mismatch.',
      ],
      [
        'bytes appended after %%EOF',
        (pdf: Buffer) => tamper.appendBytes(pdf),
        'bytes-appended',
        'Not total document signed',
      ],
      [
        'an incremental update',
        (pdf: Buffer) => tamper.incrementalUpdate(pdf),
        'incremental-update',
        'Not total document signed',
      ],
    ])('refuses %s, as pdfsig does', async (_name, damage, reason, pdfsigSays) => {
      const bytes = damage(sealed);
      expect(await verifier.verify(bytes, LIMIT)).toMatchObject({ valid: false, reason });
      expect(tool('pdfsig', [fileWith(bytes)]).output).toContain(pdfsigSays);
    });

    it.each([
      ['a truncated file', async (pdf: Buffer) => tamper.truncate(pdf), 'truncated'],
      ['a re-saved file', (pdf: Buffer) => tamper.resave(pdf), 'resaved'],
      ['a re-saved file, no object streams', (pdf: Buffer) => tamper.resave(pdf, false), 'resaved'],
      [
        'an unsigned PDF',
        async () => Buffer.from(await (await sealablePdf()).doc.save()),
        'unsigned',
      ],
      [
        'a file that is not a PDF',
        async () => Buffer.from('PK\u0003\u0004 not a pdf'),
        'not-a-pdf',
      ],
    ])('refuses %s', async (_name, damage, reason) => {
      const bytes = await damage(sealed);
      expect(await verifier.verify(bytes, LIMIT)).toMatchObject({ valid: false, reason });
    });

    it('refuses a 50 MB upload', async () => {
      const upload = Buffer.concat([sealed, Buffer.alloc(50 * 1024 * 1024)]);
      expect(await verifier.verify(upload, LIMIT)).toMatchObject({ reason: 'too-large' });
    });

    it('refuses a PDF sealed by a foreign certificate that pdfsig calls valid', async () => {
      const foreign = await sealKeys();
      const pdf = await new DocumentSealer(foreign, new Clock(), null).seal(
        (await sealablePdf()).doc,
        DETAILS,
      );
      expect(tool('pdfsig', [fileWith(pdf)]).output).toContain('Signature is Valid.');
      expect(await verifier.verify(pdf, LIMIT)).toMatchObject({ reason: 'foreign-certificate' });
    });
  });
});
