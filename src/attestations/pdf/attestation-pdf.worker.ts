/*
 * A PDF thread (see attestation-pdf.pool.ts): lays out and saves the attestations it is sent,
 * one message each, and answers with the bytes, moved rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { type AttestationPdfJob, renderForSealing } from './attestation-pdf.job';

interface JobMessage {
  readonly id: number;
  readonly job: AttestationPdfJob;
}

const port = parentPort!;
port.on('message', ({ id, job }: JobMessage) => {
  renderForSealing(job).then(
    (pdf) => {
      // A buffer of its own, so that moving it takes nothing else with it.
      const bytes = new Uint8Array(pdf);
      port.postMessage({ id, pdf: bytes }, [bytes.buffer]);
    },
    (error: unknown) => {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    },
  );
});
