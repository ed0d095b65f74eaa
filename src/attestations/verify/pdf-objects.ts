import {
  entryOf,
  nameOf,
  PdfLexer,
  PdfSyntaxError,
  textOf,
  type PdfDict,
  type PdfValue,
} from './pdf-lexer';
import type { IndirectObject, PdfIndex } from './pdf-preflight';

/** Name trees are shallow in practice; a deeper one is refused rather than walked forever. */
const MAX_NAME_TREE_DEPTH = 16;
const TRAILER = Buffer.from('trailer', 'latin1');
const SIGNATURE_MARK = /\/ByteRange\b|\/Type\s*\/Sig\b/;

function resolve(index: PdfIndex, value: PdfValue | undefined): IndirectObject | undefined {
  return value?.kind === 'ref' ? index.byNumber.get(value.objectNumber) : undefined;
}

/** A dictionary, direct or through one reference. */
function dictOf(index: PdfIndex, value: PdfValue | undefined): PdfDict | undefined {
  const target = value?.kind === 'ref' ? resolve(index, value)?.value : value;
  return target?.kind === 'dict' ? target : undefined;
}

/**
 * Whether any object is a signature dictionary (/Type /Sig or a /ByteRange): what remains of
 * a seal after a rewrite moved it into a compressed object stream.
 */
export function hasSignatureDictionary(index: PdfIndex): boolean {
  return (
    index.objects.some(
      ({ value }) =>
        value.kind === 'dict' &&
        (nameOf(entryOf(value, 'Type')) === 'Sig' || entryOf(value, 'ByteRange') !== undefined),
    ) || index.objectStreams.some((data) => SIGNATURE_MARK.test(data.toString('latin1')))
  );
}

/** The document catalog: /Root of the last trailer (§7.5.5) or cross-reference stream (§7.5.8). */
function catalogOf(bytes: Buffer, index: PdfIndex): PdfDict | undefined {
  const at = bytes.lastIndexOf(TRAILER);
  if (at >= 0) {
    try {
      const trailer = new PdfLexer(bytes, at + TRAILER.length, index.lexBudget).readValue();
      if (trailer.kind === 'dict') return dictOf(index, entryOf(trailer, 'Root'));
    } catch (error) {
      if (!(error instanceof PdfSyntaxError)) throw error;
    }
  }
  const xrefStream = index.objects.findLast(
    ({ value, stream }) =>
      stream && value.kind === 'dict' && nameOf(entryOf(value, 'Type')) === 'XRef',
  );
  return xrefStream?.value.kind === 'dict'
    ? dictOf(index, entryOf(xrefStream.value, 'Root'))
    : undefined;
}

function findInNameTree(
  index: PdfIndex,
  node: PdfDict,
  name: string,
  depth: number,
  visited = new Set<PdfDict>(),
): PdfDict | undefined {
  // A node reached twice (a kid listed again, or shared) is not walked again: otherwise a tree
  // of shared kids costs exponential time within the depth limit.
  if (depth > MAX_NAME_TREE_DEPTH || visited.has(node)) return undefined;
  visited.add(node);
  const names = entryOf(node, 'Names');
  const namesArray = names?.kind === 'ref' ? resolve(index, names)?.value : names;
  if (namesArray?.kind === 'array') {
    for (let i = 0; i + 1 < namesArray.items.length; i += 2) {
      if (textOf(namesArray.items[i]) === name) return dictOf(index, namesArray.items[i + 1]);
    }
  }
  const kids = entryOf(node, 'Kids');
  const kidsArray = kids?.kind === 'ref' ? resolve(index, kids)?.value : kids;
  if (kidsArray?.kind !== 'array') return undefined;
  for (const kid of kidsArray.items) {
    const kidDict = dictOf(index, kid);
    const found = kidDict && findInNameTree(index, kidDict, name, depth + 1, visited);
    if (found) return found;
  }
  return undefined;
}

/**
 * The decoded bytes of an embedded file (ISO 32000-1 §7.11.4), found by its name: decoded by
 * the preflight, within its budget, or undefined.
 */
export function embeddedFile(bytes: Buffer, index: PdfIndex, name: string): Buffer | undefined {
  const names = dictOf(index, entryOf(catalogOf(bytes, index) ?? emptyDict, 'Names'));
  const root = names && dictOf(index, entryOf(names, 'EmbeddedFiles'));
  const fileSpec = root && findInNameTree(index, root, name, 0);
  const ef = fileSpec && dictOf(index, entryOf(fileSpec, 'EF'));
  return resolve(index, ef && entryOf(ef, 'F'))?.stream?.decoded;
}

const emptyDict: PdfDict = { kind: 'dict', entries: [], start: 0, end: 0 };
