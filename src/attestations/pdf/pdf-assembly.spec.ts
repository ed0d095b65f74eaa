import { PDFDict, PDFName, PDFString } from 'pdf-lib';
import { PageFlow } from './page-flow';
import { assemblePdf, type PdfAttachment, type PdfMetadata } from './pdf-assembly';
import { PdfFontSet } from './pdf-fonts';

const METADATA: PdfMetadata = {
  title: 'Attestation',
  author: 'Example Ltd',
  subject: 'Information Security Policy',
  keywords: ['attestation'],
  created: new Date('2026-12-01T09:00:00.000Z'),
  footer: 'Attestation',
};

const attachment = (name: string): PdfAttachment => ({
  name,
  bytes: Buffer.from('{}'),
  mimeType: 'application/json',
  description: 'Attestation evidence',
});

/** One laid-out page, as the renderer hands over. */
function onePage(): { flow: PageFlow; fonts: PdfFontSet } {
  const fonts = new PdfFontSet();
  const flow = new PageFlow(fonts);
  flow.newPage();
  return { flow, fonts };
}

describe(assemblePdf.name, () => {
  it('attaches a file under a plain ASCII name, written as a literal /F', async () => {
    const { flow, fonts } = onePage();
    const doc = await assemblePdf(flow, fonts, METADATA, attachment('evidence.json'));
    const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(bytes.toString('latin1')).toContain('/F (evidence.json)');
    const spec = doc.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .find((o) => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('Filespec'));
    expect((spec as PDFDict).get(PDFName.of('F'))).toEqual(PDFString.of('evidence.json'));
  });

  // pdf-lib writes /F with PDFString.of, unescaped (ISO 32000-1 §7.3.4.2): a name outside
  // printable ASCII, or with a parenthesis or backslash, could end the string and write PDF.
  it.each([
    ['a Latin letter with an accent', 'évidence.json'],
    ['a non-Latin script', '証拠.json'],
    ['an emoji (a surrogate pair)', 'evidence-📎.json'],
    ['a line break', 'evidence\n.json'],
    ['a closing parenthesis', 'evidence).json'],
    ['a backslash', 'evidence\\.json'],
  ])('refuses an attachment name with %s', async (_case, name) => {
    const { flow, fonts } = onePage();
    await expect(assemblePdf(flow, fonts, METADATA, attachment(name))).rejects.toThrow(
      new RangeError('An attachment name must be printable ASCII without (, ) or \\.'),
    );
  });
});
