import { LEGAL_HOLD_REASON_MAX_LENGTH } from '../legal-hold.entity';

/** POST /people/:id/legal-hold and …/lift: the reason, as typed, kept if the form comes back. */
export interface LegalHoldFormDto {
  readonly reason: string;
}

/** The form's reason as typed (kept when the form comes back); never more than a form holds. */
export function parseLegalHoldForm(body: unknown): LegalHoldFormDto {
  const reason = (body as { reason?: unknown } | null)?.reason;
  return {
    reason: typeof reason === 'string' ? reason.slice(0, LEGAL_HOLD_REASON_MAX_LENGTH * 4) : '',
  };
}
