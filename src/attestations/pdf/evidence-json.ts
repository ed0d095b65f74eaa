import type { AttestationEvidence } from '../attestation-evidence';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The bytes of the embedded evidence.json: keys sorted at every level and two-space indented,
 * so the same evidence always gives the same file (and the same sealed PDF) whatever order
 * the object was built in.
 */
export function evidenceJson(evidence: AttestationEvidence): Uint8Array {
  return canonicalJsonFile(evidence);
}

/** Any attached JSON record, laid out the same way. */
export function canonicalJsonFile(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(sortKeys(value), null, 2)}\n`, 'utf8');
}
