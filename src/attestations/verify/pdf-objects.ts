import {
  decodePDFRawStream,
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';

/** Name trees are shallow in practice; a deeper one is refused rather than walked forever. */
const MAX_NAME_TREE_DEPTH = 16;

/** Parses a PDF without changing it (no metadata update), tolerating odd objects. */
export function loadPdf(bytes: Buffer): Promise<PDFDocument> {
  return PDFDocument.load(bytes, {
    updateMetadata: false,
    ignoreEncryption: true,
    throwOnInvalidObject: false,
    parseSpeed: ParseSpeeds.Fast,
  });
}

/**
 * Whether any object is a signature dictionary (/Type /Sig or a /ByteRange): what remains of
 * a seal after a rewrite moved it into a compressed object stream.
 */
export function hasSignatureDictionary(doc: PDFDocument): boolean {
  return doc.context
    .enumerateIndirectObjects()
    .some(
      ([, object]) =>
        object instanceof PDFDict &&
        (object.get(PDFName.of('Type')) === PDFName.of('Sig') ||
          object.has(PDFName.of('ByteRange'))),
    );
}

function nameOf(key: unknown): string | undefined {
  return key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : undefined;
}

function findInNameTree(node: PDFDict, name: string, depth: number): PDFDict | undefined {
  if (depth > MAX_NAME_TREE_DEPTH) return undefined;
  const names = node.lookupMaybe(PDFName.of('Names'), PDFArray);
  for (let i = 0; names && i + 1 < names.size(); i += 2) {
    if (nameOf(names.lookup(i)) === name) return names.lookupMaybe(i + 1, PDFDict);
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  for (let i = 0; kids && i < kids.size(); i++) {
    const kid = kids.lookupMaybe(i, PDFDict);
    const found = kid && findInNameTree(kid, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The decoded bytes of an embedded file (ISO 32000-1 §7.11.4), found by its name. */
export function embeddedFile(doc: PDFDocument, name: string): Uint8Array | undefined {
  const root = doc.catalog
    .lookupMaybe(PDFName.of('Names'), PDFDict)
    ?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const fileSpec = root && findInNameTree(root, name, 0);
  const stream = fileSpec?.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
  if (!(stream instanceof PDFRawStream)) return undefined;
  return decodePDFRawStream(stream).decode();
}
