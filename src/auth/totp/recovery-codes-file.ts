/** The name the browser saves the recovery codes under. */
export const RECOVERY_CODES_FILE_NAME = 'attest-recovery-codes.txt';

/** The codes as a text file a person can keep: what they are for, then one code a line. */
export function recoveryCodesText(codes: readonly string[], issuedAt: Date): string {
  return [
    'Attest recovery codes',
    `Made ${issuedAt.toISOString().slice(0, 10)}. Each code signs you in once instead of a 6-digit code.`,
    'Keep them somewhere safe that is not your phone. New codes replace these.',
    '',
    ...codes,
    '',
  ].join('\r\n');
}

/**
 * The file as a `data:` URL for a download link: the codes are shown only once and never
 * stored in clear, so the page carries the file itself and needs no second request and no
 * JavaScript.
 */
export function recoveryCodesDataUrl(codes: readonly string[], issuedAt: Date): string {
  return `data:text/plain;charset=utf-8,${encodeURIComponent(recoveryCodesText(codes, issuedAt))}`;
}
