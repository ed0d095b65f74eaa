import { constants, deflateRawSync } from 'node:zlib';

const MIB = 1024 * 1024;

/** Joins PDF objects into a file with a classic cross-reference table (ISO 32000-1 §7.5.4). */
function pdfFile(objects: readonly Buffer[], root: number): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(offset);
    parts.push(object);
    offset += object.length;
  }
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root ${root} 0 R >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

const object = (n: number, body: string | Buffer, stream?: Buffer) =>
  Buffer.concat([
    Buffer.from(`${n} 0 obj\n`, 'latin1'),
    Buffer.from(body),
    ...(stream ? [Buffer.from('\nstream\n'), stream, Buffer.from('\nendstream')] : []),
    Buffer.from('\nendobj\n', 'latin1'),
  ]);

/**
 * Raw DEFLATE data (RFC 1951) of `inflatedBytes` zero bytes, rounded up to whole MiB, built
 * without ever holding them: one MiB of zeros deflated with a full flush (§3.2.3, byte-aligned,
 * window reset) gives the same bytes every time, so the segment is repeated, then an empty
 * final block ends the stream. About 1 KB per MiB.
 */
export function zerosDeflateRaw(inflatedBytes: number): Buffer {
  const segment = deflateRawSync(Buffer.alloc(MIB), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const segments = Math.ceil(inflatedBytes / MIB);
  return Buffer.concat([
    ...Array.from({ length: segments }, () => segment),
    deflateRawSync(Buffer.alloc(0)),
  ]);
}

/**
 * A zlib stream (RFC 1950) of `inflatedBytes` zero bytes (whole MiB): the raw data above in a
 * zlib wrapper; Adler-32 of n zeros is a = 1, b = n mod 65521 (RFC 1950 §9).
 */
export function zerosZlibStream(inflatedBytes: number): Buffer {
  const segments = Math.ceil(inflatedBytes / MIB);
  const adler = Buffer.alloc(4);
  adler.writeUInt16BE((segments * MIB) % 65521, 0);
  adler.writeUInt16BE(1, 2);
  return Buffer.concat([Buffer.from([0x78, 0xda]), zerosDeflateRaw(inflatedBytes), adler]);
}

/**
 * An unsigned PDF whose one object stream (ISO 32000-1 §7.5.7) inflates to `inflatedBytes`
 * (1 GiB by default, from about 1 MB of file): a decompression bomb for anything that decodes
 * object streams while loading.
 */
export function inflationBombPdf(inflatedBytes = 1024 * MIB): Buffer {
  const data = zerosZlibStream(inflatedBytes);
  return pdfFile(
    [
      object(1, '<< /Type /Catalog /Pages 2 0 R >>'),
      object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
      object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'),
      object(
        4,
        `<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>`,
        data,
      ),
    ],
    1,
  );
}

/** A stream of the given filter(s) inside an otherwise plain PDF, for the filters a budget cannot bound. */
export function pdfWithObjectStream(filter: string, data: Buffer, extra = ''): Buffer {
  return pdfFile(
    [
      object(1, '<< /Type /Catalog /Pages 2 0 R >>'),
      object(2, '<< /Type /Pages /Kids [] /Count 0 >>'),
      object(
        3,
        `<< /Type /ObjStm /N 1 /First 4 /Filter ${filter} /Length ${data.length}${extra} >>`,
        data,
      ),
    ],
    1,
  );
}

/**
 * An unsigned PDF of `count` tiny objects (about 35 bytes each: 540,000 make a 19 MB file),
 * for anything that parses every object before looking at any.
 */
export function manyObjectsPdf(count = 540_000): Buffer {
  const objects = [
    object(1, '<< /Type /Catalog /Pages 2 0 R >>'),
    object(2, '<< /Type /Pages /Kids [] /Count 0 >>'),
  ];
  for (let n = 3; n <= count; n++) objects.push(Buffer.from(`${n} 0 obj\n<< /A ${n} >>\nendobj\n`));
  // No cross-reference table: it would add 20 bytes an object, and readers rebuild it anyway.
  return Buffer.concat([
    Buffer.from('%PDF-1.7\n', 'latin1'),
    ...objects,
    Buffer.from('trailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n', 'latin1'),
  ]);
}

/**
 * Files whose cost is in the object syntax itself rather than in compression, each about
 * `size` bytes: one value or one malformed object made to be as expensive to read as possible.
 */
export function pathologicalPdfs(size = 18 * MIB): Record<string, Buffer> {
  const repeat = (text: string) => text.repeat(Math.floor(size / text.length));
  const unclosed = Buffer.from(
    Array.from(
      { length: Math.floor(size / 1_812) },
      (_, i) => `${i + 1} 0 obj (\n${'a'.repeat(1_800)}\n`,
    ).join(''),
    'latin1',
  );
  return {
    // A literal string that never closes in every object: a reader that rescans after each
    // malformed object reads the rest of the file once per object.
    'unclosed literal strings': pdfFile([unclosed], 1),
    'one array of millions of empty strings': pdfFile([object(1, `[${repeat('<>')}]`)], 1),
    'one array of millions of numbers': pdfFile([object(1, `[${repeat('0 ')}]`)], 1),
    'one dictionary of millions of names': pdfFile([object(1, `<<${repeat('/a/b')}>>`)], 1),
    'one literal string of the whole file': pdfFile([object(1, `(${repeat('a')})`)], 1),
    'a signature whose /Contents is the whole file': pdfFile(
      [object(1, `<< /Type /Sig /ByteRange [0 10 20 30] /Contents <${repeat('00')}> >>`)],
      1,
    ),
  };
}
