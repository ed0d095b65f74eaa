import { type SealField, saveForSealing } from '../seal/document-sealer';
import { AttestationPdfRenderer } from './attestation-pdf.renderer';
import type { AttestationPdfInput } from './attestation-pdf.types';

/** One attestation PDF to lay out and save, ready for the seal: plain data, for any thread. */
export interface AttestationPdfJob {
  readonly input: AttestationPdfInput;
  readonly field: SealField;
}

const renderer = new AttestationPdfRenderer();

/**
 * Lays out the attestation and saves it with its empty signature field. The bytes are final
 * but for the signature, which the seal's key writes into them on the request's thread.
 */
export async function renderForSealing(job: AttestationPdfJob): Promise<Buffer> {
  return saveForSealing(await renderer.renderAttestation(job.input), job.field);
}
