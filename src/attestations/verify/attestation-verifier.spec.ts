import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { complianceSummaryInput } from '../../../test/factories/attestation-pdf.factory';
import { sealablePdf } from '../../../test/factories/sealable-pdf.factory';
import { sealKeys } from '../../../test/factories/seal-key.factory';
import { tamper } from '../../../test/factories/tampered-pdf.factory';
import { Clock } from '../../common/clock';
import { AttestationPdfRenderer } from '../pdf/attestation-pdf.renderer';
import { DocumentSealer } from '../seal/document-sealer';
import type { SealKeys } from '../seal/seal-keys';
import { AttestationVerifier } from './attestation-verifier';
import type { VerificationFailure } from './verification-result';

const LIMIT = { maxBytes: 10 * 1024 * 1024 };
const DETAILS = { reason: 'Attestation', name: 'Example Ltd' };

describe(AttestationVerifier.name, () => {
  let keys: SealKeys;
  let sealer: DocumentSealer;
  let sut: AttestationVerifier;
  let sealed: Buffer;
  let attestationId: string;

  async function reasonFor(bytes: Buffer): Promise<VerificationFailure | 'valid'> {
    const result = await sut.verify(bytes, LIMIT);
    return result.valid ? 'valid' : result.reason;
  }

  beforeAll(async () => {
    keys = await sealKeys();
    sealer = new DocumentSealer(keys, new Clock(), null);
    sut = new AttestationVerifier(keys);
    const pdf = await sealablePdf();
    attestationId = pdf.attestationId;
    sealed = await sealer.seal(pdf.doc, DETAILS);
  });

  it('accepts an intact seal and returns what the caller matches against the database', async () => {
    const result = await sut.verify(sealed, LIMIT);
    expect(result).toMatchObject({
      valid: true,
      attestationId,
      evidence: { attestationId, kind: 'signature' },
      fileSha256: createHash('sha256').update(sealed).digest('hex'),
      level: 'B-B',
      timestampedAt: undefined,
      certificate: { fingerprintSha256: keys.certificate.fingerprint256 },
    });
    expect(result.valid && result.sealedAt).toBeInstanceOf(Date);
  });

  it('tells a sealed compliance summary by its attached record, and keeps it out of verify()', async () => {
    const input = complianceSummaryInput(3);
    const doc = await new AttestationPdfRenderer().renderComplianceSummary(input);
    const summary = await sealer.seal(doc, { reason: 'Compliance summary', name: 'Example Ltd' });
    expect(await sut.verifySealed(summary, LIMIT)).toMatchObject({
      valid: true,
      kind: 'compliance-summary',
      summary: {
        kind: 'compliance-summary',
        generatedAt: input.generatedAt,
        person: { name: input.person.name },
      },
    });
    // Where only attestations belong (an export's PDFs), a summary is no attestation.
    expect(await reasonFor(summary)).toBe('evidence-missing');
    const flipped = await sut.verifySealed(tamper.flipByte(summary), LIMIT);
    expect(flipped.valid ? 'valid' : flipped.reason).toBe('digest-mismatch');
    // An attestation still reads as one.
    expect(await sut.verifySealed(sealed, LIMIT)).toMatchObject({
      kind: 'attestation',
      attestationId,
    });
  });

  it('refuses a file over the size limit before reading it', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024);
    big.write('%PDF-1.7');
    const result = await sut.verify(big, LIMIT);
    expect(result).toEqual(expect.objectContaining({ valid: false, reason: 'too-large' }));
    expect(result.valid ? '' : result.message).toMatch(/larger/);
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['a text file', Buffer.from('hello, world\n')],
    ['a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
  ])('refuses %s as not a PDF', async (_name, bytes) => {
    expect(await reasonFor(bytes)).toBe('not-a-pdf');
  });

  it('refuses an unsigned PDF', async () => {
    const { doc } = await sealablePdf();
    expect(await reasonFor(Buffer.from(await doc.save()))).toBe('unsigned');
  });

  it('refuses a flipped byte inside the signed range', async () => {
    expect(await reasonFor(tamper.flipByte(sealed))).toBe('digest-mismatch');
  });

  it('refuses bytes appended after %%EOF', async () => {
    expect(await reasonFor(tamper.appendBytes(sealed))).toBe('bytes-appended');
  });

  it('refuses an incremental update appended after sealing', async () => {
    expect(await reasonFor(tamper.incrementalUpdate(sealed))).toBe('incremental-update');
  });

  it.each([0.99, 0.8, 0.3, 0.05])('refuses a truncated file (%s kept)', async (keep) => {
    expect(await reasonFor(tamper.truncate(sealed, keep))).toBe('truncated');
  });

  it('refuses a file re-saved by pdf-lib (object streams hide the old seal)', async () => {
    expect(await reasonFor(await tamper.resave(sealed))).toBe('resaved');
  });

  it('refuses a file re-saved by pdf-lib without object streams', async () => {
    // The rewrite moves /Contents away from where the sealed byte range expects it.
    expect(await reasonFor(await tamper.resave(sealed, false))).toBe('resaved');
  });

  it('refuses a PDF sealed by a foreign certificate', async () => {
    const foreign = await sealKeys();
    const pdf = await new DocumentSealer(foreign, new Clock(), null).seal(
      (await sealablePdf()).doc,
      DETAILS,
    );
    expect(await reasonFor(pdf)).toBe('foreign-certificate');
    // The same file verifies for the Attest that holds that seal: the refusal is the certificate.
    expect((await new AttestationVerifier(foreign).verify(pdf, LIMIT)).valid).toBe(true);
  });

  it('accepts a seal made with a previous, pinned certificate', async () => {
    const previous = await sealKeys();
    const pdf = await new DocumentSealer(previous, new Clock(), null).seal(
      (await sealablePdf()).doc,
      DETAILS,
    );
    const rotated = await sealKeys({ pinned: previous.pair.certPem });
    expect((await new AttestationVerifier(rotated).verify(pdf, LIMIT)).valid).toBe(true);
    expect((await new AttestationVerifier(rotated).verify(sealed, LIMIT)).valid).toBe(false);
  });

  it('refuses a PDF with a second signature', async () => {
    const twice = await sealer.seal(await PDFDocument.load(sealed), DETAILS);
    expect(await reasonFor(twice)).toBe('multiple-signatures');
  });

  it('refuses a damaged signature value', async () => {
    expect(await reasonFor(tamper.flipSignatureValue(sealed))).toBe('signature-invalid');
  });

  it('refuses /Contents that is not a CMS signature', async () => {
    expect(await reasonFor(tamper.garbleContents(sealed))).toBe('signature-malformed');
  });

  it('refuses a byte range that does not start at the beginning of the file', async () => {
    const text = sealed.toString('latin1').replace('/ByteRange [0 ', '/ByteRange [1 ');
    expect(await reasonFor(Buffer.from(text, 'latin1'))).toBe('byte-range-invalid');
  });

  it('refuses a sealed PDF without evidence.json, or with unreadable evidence', async () => {
    const bare = await sealer.seal((await sealablePdf({ evidence: null })).doc, DETAILS);
    expect(await reasonFor(bare)).toBe('evidence-missing');
    const noId = await sealer.seal((await sealablePdf({ evidence: { kind: 'x' } })).doc, DETAILS);
    expect(await reasonFor(noId)).toBe('evidence-invalid');
  });

  it('answers garbage that starts like a PDF with a reason, never a throw', async () => {
    const junk = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0xff)]);
    expect(await reasonFor(junk)).toBe('truncated');
    const withEof = Buffer.concat([junk, Buffer.from('\n%%EOF\n')]);
    expect(await reasonFor(withEof)).toBe('unsigned');
    const fakeRange = Buffer.from('%PDF-1.7\n/ByteRange [0 10 20 30] /Contents <zz>\n%%EOF\n');
    expect(await reasonFor(fakeRange)).toBe('resaved');
  });
});
