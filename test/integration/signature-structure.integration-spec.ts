import { Clock } from '../../src/common/clock';
import { DocumentSealer } from '../../src/attestations/seal/document-sealer';
import type { SealKeys } from '../../src/attestations/seal/seal-keys';
import { AttestationVerifier } from '../../src/attestations/verify/attestation-verifier';
import type { VerificationFailure } from '../../src/attestations/verify/verification-result';
import {
  addSecondSignatureField,
  forgedSeal,
  sameLengthEdit,
} from '../factories/forged-seal.factory';
import { sealablePdf } from '../factories/sealable-pdf.factory';
import { sealKeys } from '../factories/seal-key.factory';
import { fileWith, tool } from '../helpers/pdf-tools';

const LIMIT = { maxBytes: 20 * 1024 * 1024 };

/** What each auditor's tool says of a file: true when it accepts it as a valid, intact seal. */
function toolsVerdict(pdf: Buffer): { qpdf: boolean; pdfsig: boolean; mutool: boolean } {
  const file = fileWith(pdf);
  const qpdf = tool('qpdf', ['--check', file]);
  const mutool = tool('mutool', ['sign', '-v', file]).output;
  return {
    qpdf: qpdf.status === 0 && qpdf.output.includes('No syntax or stream encoding errors found'),
    pdfsig: tool('pdfsig', [file]).output.includes('Signature is Valid.'),
    mutool:
      mutool.includes('The document is unchanged since signing.') && // Its own syntax complaints start a line; a self-signed seal only gets "Certificate error".
      !/^(error|warning):/im.test(mutool),
  };
}

/**
 * Seals that verify cryptographically but whose signature dictionary or field is not what
 * ISO 32000-1 §12.8 asks for. Attest's verifier must be at least as strict as qpdf, pdfsig and
 * mutool: nothing one of them rejects may be reported valid, and each has its own reason.
 */
describe('Signature dictionary structure', () => {
  let keys: SealKeys;
  let sut: AttestationVerifier;

  beforeAll(async () => {
    keys = await sealKeys();
    sut = new AttestationVerifier(keys);
  });

  const reasonOf = async (pdf: Buffer): Promise<VerificationFailure | 'valid'> => {
    const result = await sut.verify(pdf, LIMIT);
    return result.valid ? 'valid' : result.reason;
  };

  it('accepts an Attest seal that every tool accepts', async () => {
    const sealer = new DocumentSealer(keys, new Clock(), null);
    const pdf = await sealer.seal((await sealablePdf()).doc, {
      reason: 'Zoë (O’Brien) \\ ) ( acknowledged',
      name: 'Example ) Ltd (',
    });
    expect(toolsVerdict(pdf)).toEqual({ qpdf: true, pdfsig: true, mutool: true });
    expect(await reasonOf(pdf)).toBe('valid');
  });

  it.each<[string, Parameters<typeof forgedSeal>[1], VerificationFailure]>([
    ['a lone ( in /Name', { name: 'Example (Ltd' }, 'signature-dictionary-malformed'],
    ['a lone ) in /Reason', { reason: 'Attest) ation' }, 'signature-dictionary-malformed'],
    ['a trailing backslash in /Name', { name: 'Example Ltd\\' }, 'signature-dictionary-malformed'],
    [
      'a second /Reason injected through /Name',
      { name: 'Example Ltd) /Reason (Forged' },
      'signature-dictionary-malformed',
    ],
    [
      'a second /Contents injected through /Reason',
      { reason: 'A) /Contents <00> /X (' },
      'signature-dictionary-malformed',
    ],
    [
      '/Type /Sig changed to another type',
      { edit: sameLengthEdit('/Type /Sig', '/Type /Xig') },
      'signature-dictionary-malformed',
    ],
    ['a second signature field', { prepare: addSecondSignatureField }, 'signature-field-invalid'],
    [
      'the signature field pointing elsewhere',
      { edit: sameLengthEdit('/FT /Sig', '/FT /Btn') },
      'signature-field-invalid',
    ],
  ])('refuses %s', async (_name, options, reason) => {
    const pdf = await forgedSeal(keys, options);
    expect(await reasonOf(pdf)).toBe(reason);
  });

  it.each<[string, Parameters<typeof forgedSeal>[1]]>([
    ['a lone ( in /Name', { name: 'Example (Ltd' }],
    ['a lone ) in /Reason', { reason: 'Attest) ation' }],
    ['a trailing backslash in /Name', { name: 'Example Ltd\\' }],
    ['a control character and a lone (', { name: 'Example\r(Ltd' }],
  ])('reports nothing valid that a tool rejects: %s', async (_name, options) => {
    const pdf = await forgedSeal(keys, options);
    const verdict = toolsVerdict(pdf);
    // The forgery must be one some tool rejects, or this test proves nothing.
    expect(Object.values(verdict)).toContain(false);
    expect(await reasonOf(pdf)).not.toBe('valid');
  });
});
