import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AttestationVerifier } from '../../src/attestations/verify/attestation-verifier';
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

  /**
   * Ordering, not latency (latency is bench:verify's). The verifier works on the one thread
   * Node serves from, so a /healthz that arrives while it decodes waits for it to finish; what
   * must hold is that such requests are then answered 200, not refused, dropped or failed, and
   * that the server lives on. The polling starts once the upload is sent, and the test notes
   * whether each /healthz went out before the verifier gave its verdict: at least one must have,
   * or the test would say nothing about the time of the verification. Whether a /healthz
   * overtakes the upload's own answer depends on page rendering, not on the verifier, so it is
   * not asserted.
   */
  it('answers every /healthz sent while the 1 GiB bomb is being verified with 200', async () => {
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // Observes the verifier without changing it: its verdict flips `verdictGiven`.
    const verifier = t.app.get(AttestationVerifier);
    const verifySealed = verifier.verifySealed.bind(verifier);
    let verdictGiven = false;
    const observed = jest
      .spyOn(verifier, 'verifySealed')
      .mockImplementation(async (bytes, options) => {
        try {
          return await verifySealed(bytes, options);
        } finally {
          verdictGiven = true;
        }
      });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
          .on('error', reject)
          .end();
      });

    const boundary = 'attest-verify-budget';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="attestation.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      inflationBombPdf(1024 * MIB),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const polls: Array<{ sentBeforeVerdict: boolean; status: number }> = [];
    let uploadAnswered = false;
    let polling: Promise<void> = Promise.resolve();
    const poll = async () => {
      while (!uploadAnswered) {
        const sentBeforeVerdict = !verdictGiven;
        polls.push({ sentBeforeVerdict, status: await get('/healthz') });
      }
    };
    const upload = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/verify',
          method: 'POST',
          agent: false,
          headers: {
            accept: 'text/html',
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': body.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            uploadAnswered = true;
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      // The last byte of the upload has gone out: from now on the server holds the bomb.
      req.end(body, () => {
        polling = poll();
      });
    });
    await polling;
    observed.mockRestore();

    expect(upload.status).toBe(422);
    expect(reasonOf(upload.text)).toBe('over-decompression-limit');
    expect(polls.filter((p) => p.sentBeforeVerdict).length).toBeGreaterThanOrEqual(1);
    expect(polls.map((p) => p.status)).toEqual(polls.map(() => 200));
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
