import { deflateSync } from 'node:zlib';
import { Clock } from '../../common/clock';
import { DocumentSealer } from '../seal/document-sealer';
import { sealablePdf } from '../../../test/factories/sealable-pdf.factory';
import { sealKeys } from '../../../test/factories/seal-key.factory';
import { pdfWithObjectStream } from '../../../test/factories/pdf-bomb.factory';
import { Deadline, OverBudget, preflight, VERIFICATION_BUDGET } from './pdf-preflight';

const reasonOf = (run: () => unknown) => {
  try {
    run();
    return 'within';
  } catch (error) {
    if (error instanceof OverBudget) return error.reason;
    throw error;
  }
};

describe(preflight.name, () => {
  const deadline = () => new Deadline(VERIFICATION_BUDGET.maxMilliseconds);

  it('reads a sealed PDF well within the budget, and finds its evidence stream decoded', async () => {
    const keys = await sealKeys();
    const sealer = new DocumentSealer(keys, new Clock(), null);
    const pdf = await sealer.seal((await sealablePdf()).doc, { reason: 'R', name: 'N' });
    const sut = preflight(pdf, VERIFICATION_BUDGET, deadline());
    expect(sut.objectCount).toBeLessThan(VERIFICATION_BUDGET.maxObjects / 100);
    expect(sut.malformed).toEqual([]);
    expect(sut.objects.filter((o) => o.stream?.decoded).length).toBe(1);
  });

  it('counts the objects inside object streams (/N)', () => {
    const pdf = pdfWithObjectStream('/FlateDecode', deflateSync('1 0 null'), '').toString('latin1');
    const claimed = Buffer.from(
      pdf.replace('/N 1', `/N ${VERIFICATION_BUDGET.maxObjects}`),
      'latin1',
    );
    expect(reasonOf(() => preflight(claimed, VERIFICATION_BUDGET, deadline()))).toBe(
      'over-object-limit',
    );
  });

  it('stops inflating at the remaining decompressed-bytes budget', () => {
    const pdf = pdfWithObjectStream('/FlateDecode', deflateSync(Buffer.alloc(2048)));
    const budget = { ...VERIFICATION_BUDGET, maxDecodedBytes: 2047 };
    expect(reasonOf(() => preflight(pdf, budget, deadline()))).toBe('over-decompression-limit');
    expect(reasonOf(() => preflight(pdf, VERIFICATION_BUDGET, deadline()))).toBe('within');
  });

  it.each([
    ['LZW, which zlib cannot bound', '/LZWDecode'],
    ['a chain of filters', '[/FlateDecode /FlateDecode]'],
    ['run-length encoding', '/RunLengthDecode'],
    ['an indirect filter', '9 0 R'],
  ])('refuses %s on a stream it would decode', (_name, filter) => {
    const pdf = pdfWithObjectStream(filter, Buffer.from('x'));
    expect(reasonOf(() => preflight(pdf, VERIFICATION_BUDGET, deadline()))).toBe(
      'unbounded-compression',
    );
  });

  it('stops when the deadline has passed', () => {
    const pdf = pdfWithObjectStream('/FlateDecode', deflateSync('1 0 null'));
    expect(reasonOf(() => preflight(pdf, VERIFICATION_BUDGET, new Deadline(0)))).toBe(
      'over-time-limit',
    );
  });

  it("counts the thread's processor time, not the time it spends waiting", () => {
    const deadline = new Deadline(100);
    // Blocks the thread for 300 ms without using the processor, as a throttled machine would.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    expect(() => deadline.check()).not.toThrow();
  });

  it("stops once the work's own time is spent", () => {
    let spent = 0;
    const deadline = new Deadline(50, () => spent);
    spent = 49;
    expect(() => deadline.check()).not.toThrow();
    spent = 50;
    expect(() => deadline.check()).toThrow(OverBudget);
  });
});
