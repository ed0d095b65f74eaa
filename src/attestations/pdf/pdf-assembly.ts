import { deflateSync } from 'node:zlib';
import { AFRelationship, PDFDocument } from 'pdf-lib';
import { isPlainLiteral } from '../seal/pdf-text';
import { drawFooters } from './page-footer';
import type { PageFlow } from './page-flow';
import type { PdfFontSet } from './pdf-fonts';

export interface PdfMetadata {
  readonly title: string;
  /** The organisation. */
  readonly author: string;
  readonly subject: string;
  readonly keywords: readonly string[];
  /** Creation and modification date: a fixed input, so the same input gives the same bytes. */
  readonly created: Date;
  /** Footer label: "<label> · page i of n". */
  readonly footer: string;
}

export interface PdfAttachment {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly mimeType: string;
  readonly description: string;
}

/**
 * Turns laid-out pages into an unsaved pdf-lib document: footers, subset fonts, one
 * compressed content stream per page, the Info dictionary and any attachment. Nothing here is
 * random or reads the clock; pdf-lib's own name suffixes come from a fixed-seed generator.
 */
export async function assemblePdf(
  flow: PageFlow,
  fonts: PdfFontSet,
  metadata: PdfMetadata,
  attachment?: PdfAttachment,
): Promise<PDFDocument> {
  if (Number.isNaN(metadata.created.getTime())) {
    throw new RangeError('The PDF creation date is not a valid UTC ISO-8601 time.');
  }
  drawFooters(flow.pages, metadata.footer, flow.geometry, fonts);
  for (const canvas of flow.pages) {
    for (const text of canvas.texts) fonts.use(text.text, text.style);
  }
  const doc = await PDFDocument.create({ updateMetadata: false });
  const embedded = await fonts.embed(doc.context);
  for (const canvas of flow.pages) {
    const page = doc.addPage([canvas.width, canvas.height]);
    const content = Buffer.from(canvas.contentStream(embedded), 'latin1');
    // Level 3: nearly the size of the default level at about half the time.
    const stream = doc.context.stream(deflateSync(content, { level: 3 }), {
      Filter: 'FlateDecode',
    });
    page.node.addContentStream(doc.context.register(stream));
    for (const style of canvas.stylesUsed()) {
      const font = embedded.get(style)!;
      page.node.setFontDictionary(font.resourceName, font.ref);
    }
  }

  doc.setTitle(metadata.title, { showInWindowTitleBar: true });
  doc.setAuthor(metadata.author);
  doc.setSubject(metadata.subject);
  doc.setKeywords([...metadata.keywords]);
  doc.setProducer('Attest');
  doc.setCreator('Attest');
  doc.setLanguage('en');
  doc.setCreationDate(metadata.created);
  doc.setModificationDate(metadata.created);

  if (attachment) {
    // pdf-lib writes the file specification's /F with PDFString.of, unescaped (ISO 32000-1
    // §7.3.4.2); /UF, /Desc and the name tree key go through PDFHexString.fromText.
    if (!isPlainLiteral(attachment.name)) {
      throw new RangeError('An attachment name must be printable ASCII without (, ) or \\.');
    }
    await doc.attach(attachment.bytes, attachment.name, {
      mimeType: attachment.mimeType,
      description: attachment.description,
      creationDate: metadata.created,
      modificationDate: metadata.created,
      afRelationship: AFRelationship.Data,
    });
  }
  return doc;
}
