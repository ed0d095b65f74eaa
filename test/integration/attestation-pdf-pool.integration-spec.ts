import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../../src/config/app-config';
import { Clock } from '../../src/common/clock';
import type { AttestationPdfJob } from '../../src/attestations/pdf/attestation-pdf.job';
import { AttestationPdfPool } from '../../src/attestations/pdf/attestation-pdf.pool';
import { DocumentSealer } from '../../src/attestations/seal/document-sealer';
import { AttestationVerifier } from '../../src/attestations/verify/attestation-verifier';
import { attestationPdfInput } from '../factories/attestation-pdf.factory';
import { sealKeys } from '../factories/seal-key.factory';
import { expectIndependentToolsAccept } from '../helpers/pdf-tools';

const poolOf = (pdfWorkers: number) => new AttestationPdfPool({ pdfWorkers } as AppConfig);

describe('Attestation PDFs laid out on PDF threads (PDF_WORKERS)', () => {
  let sealer: DocumentSealer;
  let verifier: AttestationVerifier;
  const pools: AttestationPdfPool[] = [];
  const pool = (n: number) => {
    const p = poolOf(n);
    pools.push(p);
    return p;
  };

  beforeAll(async () => {
    const keys = await sealKeys();
    sealer = new DocumentSealer(keys, new Clock(), null);
    verifier = new AttestationVerifier(keys);
  });

  afterAll(() => Promise.all(pools.map((p) => p.onModuleDestroy())));

  const jobFor = (input = attestationPdfInput()): AttestationPdfJob => ({
    input,
    field: sealer.fieldFor({ reason: 'Zoë acknowledged the policy', name: 'Example Ltd' }),
  });

  it('gives the same bytes on a PDF thread as on the request thread, and they seal and verify', async () => {
    const job = jobFor();

    const [onThread, inProcess] = await Promise.all([pool(1).render(job), pool(0).render(job)]);

    expect(onThread.equals(inProcess)).toBe(true);
    const pdf = await sealer.sign(onThread);
    expect((await verifier.verify(pdf, { maxBytes: 10 * 1024 * 1024 })).valid).toBe(true);
    expectIndependentToolsAccept(pdf);
  });

  it('answers each of many jobs in flight on two threads with its own PDF', async () => {
    const threads = pool(2);
    const jobs = Array.from({ length: 6 }, () => jobFor());

    const pdfs = await Promise.all(jobs.map((job) => threads.render(job)));

    const expected = await Promise.all(jobs.map((job) => pool(0).render(job)));
    pdfs.forEach((pdf, i) => expect(pdf.equals(expected[i])).toBe(true));
    expect(new Set(pdfs.map((pdf) => pdf.toString('base64'))).size).toBe(jobs.length);
  });

  it('rejects a job that fails, with its reason, and goes on with the next', async () => {
    const threads = pool(1);
    const input = attestationPdfInput();
    const bad = jobFor({ ...input, evidence: { ...input.evidence, signedAt: 'not a time' } });

    await expect(threads.render(bad)).rejects.toThrow(/creation date is not a valid/);
    await expect(threads.render(jobFor())).resolves.toBeInstanceOf(Buffer);
  });

  it('rejects the jobs of a thread that stops, and starts a new thread for the next', async () => {
    const threads = pool(1);
    const inFlight = threads.render(jobFor());
    // The thread the job went to, stopped under it.
    const [thread] = (
      threads as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }
    ).threads;
    await thread.worker.terminate();

    await expect(inFlight).rejects.toThrow(/PDF thread stopped/);
    await expect(threads.render(jobFor())).resolves.toBeInstanceOf(Buffer);
  });

  it('keeps a process that waits only for its PDF alive until the PDF comes back', () => {
    // Nothing else holds the event loop open: a CLI between two database calls is like this.
    const root = join(__dirname, '..', '..');
    const script = `
      const { AttestationPdfPool } = require(${JSON.stringify(join(root, 'src/attestations/pdf/attestation-pdf.pool'))});
      const { attestationPdfInput } = require(${JSON.stringify(join(root, 'test/factories/attestation-pdf.factory'))});
      const field = { reason: 'r', name: 'n', location: '', signingTime: new Date(), signatureLength: 64 };
      const pool = new AttestationPdfPool({ pdfWorkers: 1 });
      const job = { input: attestationPdfInput(), field };
      // The second job goes to a thread that was idle, started long before.
      pool.render(job)
        .then(() => new Promise((resolve) => setTimeout(resolve, 100)))
        .then(() => pool.render(job))
        .then((pdf) => console.log('PDF ' + pdf.subarray(0, 5).toString('latin1')));
    `;

    const output = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );

    expect(output).toContain('PDF %PDF-');
  });
});
