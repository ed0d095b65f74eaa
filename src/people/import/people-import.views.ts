import type { Principal } from '../../access/principal';
import { MAX_FILE_BYTES, MAX_ROWS } from './people-csv.parser';
import type { ImportOutcome } from './people-import.service';

/** A page of a million errors helps nobody; the count says how many more there are. */
export const ERRORS_SHOWN = 1000;

export interface ImportFormView {
  title: string;
  csrfToken: string;
  maxMegabytes: number;
  maxRows: string;
  error: string | null;
}

export interface ImportResultView {
  title: string;
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: Array<{ line: string; column: string; message: string }>;
  hiddenErrors: number;
}

export function toImportFormView(actor: Principal, error: string | null = null): ImportFormView {
  return {
    title: 'Import people',
    csrfToken: actor.csrfToken,
    maxMegabytes: MAX_FILE_BYTES / 1024 / 1024,
    maxRows: MAX_ROWS.toLocaleString('en'),
    error,
  };
}

export function toImportResultView(outcome: ImportOutcome): ImportResultView {
  const errors = outcome.ok ? [] : outcome.errors;
  return {
    title: outcome.ok ? 'People imported' : 'The file was not imported',
    ok: outcome.ok,
    created: outcome.ok ? outcome.created : 0,
    updated: outcome.ok ? outcome.updated : 0,
    unchanged: outcome.ok ? outcome.unchanged : 0,
    errorCount: errors.length,
    errors: errors.slice(0, ERRORS_SHOWN).map((e) => ({
      line: e.line === null ? '—' : String(e.line),
      column: e.column ?? '—',
      message: e.message,
    })),
    hiddenErrors: Math.max(0, errors.length - ERRORS_SHOWN),
  };
}
