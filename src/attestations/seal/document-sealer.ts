import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { PDFDocument } from 'pdf-lib';
import { Clock } from '../../common/clock';
import { CadesSignedData } from './cades-signed-data';
import { SEAL_KEYS, type SealKeys } from './seal-keys';
import { addSignatureField } from './signature-field';
import { byteRangeDigest, fillByteRange, fillContents } from './signature-placeholder';
import { TIMESTAMP_AUTHORITY, type TimestampAuthority } from './timestamp-authority.client';

/** What the signature dictionary says about the seal (ISO 32000-1 table 252). */
export interface SealDetails {
  /** /Reason, e.g. "Attestation of acknowledgement". */
  readonly reason: string;
  /** /Name: who seals, normally the organisation. */
  readonly name: string;
  readonly location?: string;
}

/**
 * Seals a PDF with Attest's key: one invisible PAdES signature (SubFilter ETSI.CAdES.detached,
 * SHA-256), B-B, or B-T with a TSA. Also signs detached CMS for export manifests.
 */
@Injectable()
export class DocumentSealer {
  private readonly cms: CadesSignedData;

  constructor(
    @Inject(SEAL_KEYS) keys: SealKeys,
    private readonly clock: Clock,
    @Inject(TIMESTAMP_AUTHORITY) timestamps: TimestampAuthority | null,
  ) {
    this.cms = new CadesSignedData(keys, timestamps);
  }

  /**
   * Adds the signature field, saves the document once and signs it. The returned bytes are
   * final: any later save, even by pdf-lib without changes, rewrites offsets and breaks the seal.
   */
  async seal(doc: PDFDocument, details: SealDetails): Promise<Buffer> {
    return this.sign(await saveForSealing(doc, this.fieldFor(details)));
  }

  /**
   * The signature field to save a document with, for {@link saveForSealing} on another
   * thread: the seal's time is taken now, on this one.
   */
  fieldFor(details: SealDetails): SealField {
    return {
      reason: details.reason,
      name: details.name,
      location: details.location ?? '',
      // The seal's time (PAdES B-B keeps it out of the signed attributes).
      signingTime: this.clock.now(),
      // Hex digits, two per byte of DER.
      signatureLength: this.cms.maxBytes * 2,
    };
  }

  /** Signs a document saved by {@link saveForSealing}, in place, and returns it. */
  async sign(pdf: Buffer): Promise<Buffer> {
    const slot = fillByteRange(pdf);
    fillContents(pdf, slot, await this.cms.sign(byteRangeDigest(pdf, slot)));
    return pdf;
  }

  /**
   * A detached CMS (DER) over arbitrary bytes, e.g. an export's manifest.json.p7s; checks with
   * `openssl cms -verify -binary -inform DER -content manifest.json`.
   */
  async signDetached(bytes: Buffer): Promise<Buffer> {
    return this.cms.sign(createHash('sha256').update(bytes).digest());
  }
}

/** The signature field a document is saved with: everything but the signature itself. */
export interface SealField {
  readonly reason: string;
  readonly name: string;
  readonly location: string;
  readonly signingTime: Date;
  /** Room for the CMS, in hex digits. */
  readonly signatureLength: number;
}

/**
 * Adds the signature field and saves the document once, with the signature's room left empty:
 * the part of sealing that needs no key, so it can run on any thread.
 */
export async function saveForSealing(doc: PDFDocument, field: SealField): Promise<Buffer> {
  addSignatureField(doc, { ...field, contactInfo: '', subFilter: SUBFILTER_ETSI_CADES_DETACHED });
  // Classic xref and no object streams: the signature dictionary stays readable in the file
  // for any verifier, and saving is about twice as fast. pdf-lib yields to the event loop
  // with a setTimeout every objectsPerTick objects (50 by default, about 1 ms lost each);
  // an attestation has far fewer than 1000 objects, a very long document still yields.
  const saved = await doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
    objectsPerTick: 1000,
  });
  return Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength);
}
