import { constants, inflateSync } from 'node:zlib';
import {
  entryOf,
  integerOf,
  isRegular,
  LexBudget,
  isWhitespace,
  nameOf,
  PdfLexer,
  type PdfDict,
  PdfSyntaxError,
  PdfTooLarge,
  type PdfValue,
} from './pdf-lexer';
import type { VerificationFailure } from './verification-result';

/**
 * How much work one verification may do, decided before any of it. Measured on real Attest
 * PDFs (see bench/verify-budget.bench.ts): a 150-page policy attestation has 334 objects and a
 * 2,000-row compliance summary 215, none in object streams; the only stream a verification
 * decodes, evidence.json, is a few kilobytes, and every stream of the largest summary together
 * inflates to 2.1 MB.
 */
export interface VerificationBudget {
  /** Indirect objects, counting each object stream's /N. */
  readonly maxObjects: number;
  /** Bytes that decoding may produce, all streams together. */
  readonly maxDecodedBytes: number;
  /** Processor time of the serving thread from the start of the verification. */
  readonly maxMilliseconds: number;
  /** The DER of the seal's CMS (/Contents); Attest's, with a timestamp, stays under 16 KB. */
  readonly maxSignatureBytes: number;
  /**
   * Values (numbers, names, strings, array and dictionary items) the lexer may read across
   * the whole file, streams excluded. Measured: 3,993 in a 150-page attestation, 2,456 in a
   * 2,000-row compliance summary, 626 in a 3-page attestation.
   */
  readonly maxValues: number;
}

export const VERIFICATION_BUDGET: VerificationBudget = Object.freeze({
  maxObjects: 10_000,
  maxDecodedBytes: 8 * 1024 * 1024,
  maxMilliseconds: 5_000,
  maxSignatureBytes: 256 * 1024,
  maxValues: 50_000,
});

/** One indirect object as it stands in the file (not one inside an object stream). */
export interface IndirectObject {
  readonly objectNumber: number;
  readonly generation: number;
  /** Offset of the `n g obj` header. */
  readonly at: number;
  readonly value: PdfValue;
  /** Offset just past the value, or past `endstream` for a stream. */
  readonly end: number;
  /** Whether `endobj` follows the value (or the stream) as ISO 32000-1 §7.3.10 requires. */
  readonly closed: boolean;
  /** For a stream: its data, decoded when the budget let it be (see `decoded`). */
  readonly stream?: { readonly raw: Buffer; readonly decoded: Buffer | undefined };
}

export interface PdfIndex {
  /** Every well-formed indirect object in file order. */
  readonly objects: readonly IndirectObject[];
  /** The last definition of each object number, as a reader applying updates would use. */
  readonly byNumber: ReadonlyMap<number, IndirectObject>;
  /** Offsets of `n g obj` headers whose object could not be read. */
  readonly malformed: readonly number[];
  /** The decoded contents of every object stream (§7.5.7). */
  readonly objectStreams: readonly Buffer[];
  /** Objects counted: headers plus each object stream's /N. */
  readonly objectCount: number;
  readonly decodedBytes: number;
  /** What is left of the lexing budget, for the few objects read after the preflight. */
  readonly lexBudget: LexBudget;
}

export class OverBudget extends Error {
  constructor(readonly reason: VerificationFailure) {
    super(reason);
  }
}

/**
 * The processor time this thread has used, in milliseconds. A deadline counts the work itself,
 * not wall time: on a loaded or throttled machine the clock runs on while the thread waits, and a
 * good file would be refused for the machine's business rather than its own.
 */
function threadCpuMilliseconds(): number {
  // process.threadCpuUsage (Node 23.9, 22.19) counts this thread alone; cpuUsage all threads.
  const usage = process.threadCpuUsage?.() ?? process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** A deadline that the work checks between steps; JavaScript cannot interrupt a step. */
export class Deadline {
  private readonly at: number;
  constructor(
    milliseconds: number,
    private readonly clock: () => number = threadCpuMilliseconds,
  ) {
    this.at = clock() + milliseconds;
  }
  check(): void {
    if (this.clock() >= this.at) throw new OverBudget('over-time-limit');
  }
}

const OBJ = Buffer.from('obj', 'latin1');
const ENDSTREAM = Buffer.from('endstream', 'latin1');
const CHECK_EVERY = 256;
/** Stream types a verification decodes (§7.5.7, §7.5.8, §7.11.4). */
const DECODED_TYPES = new Set(['ObjStm', 'XRef', 'EmbeddedFile']);

/**
 * If `obj` at `at` ends an `n g obj` header (§7.3.10), its object and generation numbers.
 * Read backwards from the keyword, so the file is never copied into a string.
 */
function headerBefore(bytes: Buffer, at: number): [number, number, number] | undefined {
  const after = bytes[at + 3];
  if (after !== undefined && isRegular(after)) return undefined;
  let i = at - 1;
  const digitsBackwards = (): [number, number] | undefined => {
    const end = i + 1;
    while (i >= 0 && bytes[i] >= 0x30 && bytes[i] <= 0x39) i--;
    if (i + 1 === end || end - (i + 1) > 10) return undefined;
    return [Number(bytes.toString('latin1', i + 1, end)), i + 1];
  };
  const spaceBackwards = () => {
    const end = i;
    while (i >= 0 && isWhitespace(bytes[i])) i--;
    return i < end;
  };
  if (!spaceBackwards()) return undefined;
  const generation = digitsBackwards();
  if (!generation || !spaceBackwards()) return undefined;
  const objectNumber = digitsBackwards();
  if (!objectNumber || (i >= 0 && isRegular(bytes[i]))) return undefined;
  return [objectNumber[0], generation[0], objectNumber[1]];
}

/**
 * Reads the file's objects from its bytes within the budget, before anything else parses it:
 * counts every object (an object stream's /N too), and inflates the streams a verification
 * decodes with zlib's maxOutputLength set to what remains of the budget, so a stream that would
 * inflate past it stops there. Filters the budget cannot bound are refused. Throws OverBudget.
 */
export function preflight(bytes: Buffer, budget: VerificationBudget, deadline: Deadline): PdfIndex {
  try {
    return readObjects(bytes, budget, deadline);
  } catch (error) {
    // A value too long, or too many of them: more work than any attestation PDF asks for.
    if (error instanceof PdfTooLarge) throw new OverBudget('over-complexity-limit');
    throw error;
  }
}

function readObjects(bytes: Buffer, budget: VerificationBudget, deadline: Deadline): PdfIndex {
  // /Contents is the longest string an attestation holds: its hex digits, white space aside.
  const lexBudget = new LexBudget(budget.maxValues, 2 * budget.maxSignatureBytes + 4096, () =>
    deadline.check(),
  );
  const objects: IndirectObject[] = [];
  const byNumber = new Map<number, IndirectObject>();
  const malformed: number[] = [];
  const objectStreams: Buffer[] = [];
  let objectCount = 0;
  let decodedBytes = 0;

  const count = (n: number) => {
    objectCount += n;
    if (objectCount > budget.maxObjects) throw new OverBudget('over-object-limit');
  };
  const decode = (dict: PdfDict, raw: Buffer): Buffer => {
    const filter = entryOf(dict, 'Filter');
    const filters = filter?.kind === 'array' ? filter.items : filter ? [filter] : [];
    if (filters.length === 0) return raw;
    // pdf-lib and other readers apply a filter chain one by one; only FlateDecode, alone, has
    // a decoder (zlib) that stops at a given output size. Attest writes nothing else.
    if (filters.length > 1 || nameOf(filters[0]) !== 'FlateDecode') {
      throw new OverBudget('unbounded-compression');
    }
    const remaining = budget.maxDecodedBytes - decodedBytes;
    if (remaining <= 0) throw new OverBudget('over-decompression-limit');
    try {
      // RFC 1950 data; Z_SYNC_FLUSH accepts a stream cut short, as PDF readers do.
      const out = inflateSync(raw, {
        maxOutputLength: remaining,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      decodedBytes += out.length;
      return out;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new OverBudget('over-decompression-limit');
      }
      throw new OverBudget('unreadable');
    }
  };

  let from = 0;
  for (let at = bytes.indexOf(OBJ, from); at >= 0; at = bytes.indexOf(OBJ, from)) {
    from = at + OBJ.length;
    const header = headerBefore(bytes, at);
    if (!header) continue;
    count(1);
    if (objectCount % CHECK_EVERY === 0) deadline.check();
    const [objectNumber, generation, headerAt] = header;
    const lexer = new PdfLexer(bytes, at + OBJ.length, lexBudget);
    let value: PdfValue;
    try {
      value = lexer.readValue();
    } catch (error) {
      if (!(error instanceof PdfSyntaxError)) throw error;
      malformed.push(headerAt);
      continue;
    }
    lexer.skipSpace();
    let stream: IndirectObject['stream'];
    if (value.kind === 'dict' && lexer.atKeyword('stream')) {
      // §7.3.8.1: the keyword, then CRLF or LF, then the data.
      let start = lexer.position + 'stream'.length;
      if (bytes[start] === 0x0d) start++;
      if (bytes[start] === 0x0a) start++;
      const length = integerOf(entryOf(value, 'Length'));
      let end = length !== undefined && length >= 0 ? start + length : -1;
      const check = new PdfLexer(bytes, end, lexBudget);
      if (end < 0 || end > bytes.length || (check.skipSpace(), !check.atKeyword('endstream'))) {
        end = bytes.indexOf(ENDSTREAM, start);
        if (end < 0) {
          malformed.push(headerAt);
          break;
        }
      }
      const raw = bytes.subarray(start, end);
      const type = entryOf(value, 'Type');
      // An indirect /Type could name any type once resolved: decode it as if it mattered.
      const decoded =
        type?.kind === 'ref' || DECODED_TYPES.has(nameOf(type) ?? '')
          ? decode(value, raw)
          : undefined;
      if (nameOf(type) === 'ObjStm') {
        const n = integerOf(entryOf(value, 'N'));
        if (n === undefined || n < 0) throw new OverBudget('unreadable');
        count(n);
        objectStreams.push(decoded!);
      }
      deadline.check();
      stream = { raw, decoded };
      lexer.position = bytes.indexOf(ENDSTREAM, end) + ENDSTREAM.length;
      lexer.skipSpace();
    }
    const closed = lexer.atKeyword('endobj');
    const object: IndirectObject = {
      objectNumber,
      generation,
      at: headerAt,
      value,
      end: lexer.position,
      closed,
      stream,
    };
    objects.push(object);
    byNumber.set(objectNumber, object);
    from = Math.max(from, lexer.position);
  }
  deadline.check();
  return { objects, byNumber, malformed, objectStreams, objectCount, decodedBytes, lexBudget };
}
