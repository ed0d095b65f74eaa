import { readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { inflationBombPdf, manyObjectsPdf, pathologicalPdfs } from '../factories/pdf-bomb.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

const MIB = 1024 * 1024;

/**
 * The kernel's peak resident set (VmHWM) since the last reset, in bytes. Writing 5 to
 * /proc/self/clear_refs resets the peak to the current RSS (Linux proc(5)), so the peak read
 * after a request is the most this process held at any moment during it.
 */
function resetPeakRss(): number {
  writeFileSync('/proc/self/clear_refs', '5');
  return statusKb('VmRSS') * 1024;
}
function peakRss(): number {
  return statusKb('VmHWM') * 1024;
}
function statusKb(field: string): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
}

/** /verify is public: a crafted upload must be refused within fixed limits, never parsed whole. */
describe('POST /verify within a budget (e2e)', () => {
  let t: TestApp;
  const upload = (bytes: Buffer) =>
    request(t.server)
      .post('/verify')
      .set('Accept', 'text/html')
      .attach('file', bytes, { filename: 'attestation.pdf', contentType: 'application/pdf' });
  const reasonOf = (html: string) => /data-reason="([^"]+)"/.exec(html)?.[1];

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses a 1 MB PDF whose object stream inflates to 1 GiB, holding under 50 MB more', async () => {
    const bomb = inflationBombPdf(1024 * MIB);
    expect(bomb.length).toBeLessThan(1.1 * MIB);
    // Warm the route up first, so the figure is the upload's and not the first request's.
    await upload(Buffer.from('%PDF-1.7\n%%EOF\n')).expect(422);
    global.gc?.();

    const before = resetPeakRss();
    const res = await upload(bomb).expect(422);
    const grew = peakRss() - before;

    expect(grew).toBeLessThan(50 * MIB);
    expect(reasonOf(res.text)).toBe('over-decompression-limit');
    expect(res.text).toContain('expands to far more');
  });

  it('refuses a 19 MB PDF of 540,000 tiny objects', async () => {
    const many = manyObjectsPdf(540_000);
    expect(many.length).toBeGreaterThan(18 * MIB);
    const before = resetPeakRss();
    const res = await upload(many).expect(422);
    const grew = peakRss() - before;

    // The upload itself is held in memory (19 MB) by the upload middleware.
    expect(grew).toBeLessThan(100 * MIB);
    expect(reasonOf(res.text)).toBe('over-object-limit');
  });

  describe.each(Object.entries(pathologicalPdfs()))('a file of %s', (_case, pdf) => {
    it('is refused as over the limit, the process holding under 100 MB more', async () => {
      expect(pdf.length).toBeGreaterThan(17 * MIB);
      const before = resetPeakRss();
      const res = await upload(pdf).expect(422);
      const grew = peakRss() - before;

      // The 18 MB upload is held twice here: by the test's client and by the upload reader.
      expect(grew).toBeLessThan(100 * MIB);
      expect(reasonOf(res.text)).toBe('over-complexity-limit');
    });
  });
});
