import { defineEntity, p } from '@mikro-orm/core';
import { SignatureSchema } from '../signatures/signature.entity';
import { PersonSchema } from '../people/person.entity';
import { purgeableAppendOnlyTrigger } from '../database/append-only.trigger';
import type { AttestationEvidence } from './attestation-evidence';

export const AttestationSchema = defineEntity({
  name: 'Attestation',
  tableName: 'attestation',
  // The sealed PDF is evidence: made once at signing, never regenerated, never changed; deleted
  // only by a retention purge, with its signature, once the retention period has run out.
  triggers: [purgeableAppendOnlyTrigger('attestation_append_only')],
  properties: {
    /** The signature's id: one attestation per signature or training pass. */
    id: p.uuid().primary(),
    signature: () => p.oneToOne(SignatureSchema).owner().unique(),
    person: () => p.manyToOne(PersonSchema).index(),
    kind: p.string().length(16),
    documentId: p.string().length(100),
    version: p.string().length(32),
    /** The sealed PDF, byte for byte as issued. */
    pdf: p.blob().lazy(),
    /** SHA-256 (hex) of `pdf`: what an uploaded file is matched against. */
    sha256: p.string().length(64).unique(),
    size: p.integer(),
    /** Exactly what the PDF's embedded evidence.json holds. */
    evidence: p.json<AttestationEvidence>(),
    sealFingerprint: p.string().length(64),
    createdAt: p.datetime().index(),
  },
});

/** A sealed attestation PDF and the evidence it carries. Append-only. */
export class Attestation extends AttestationSchema.class {}
AttestationSchema.setClass(Attestation);
