import { OperatorError } from '../common/errors/operator.error';

/** Why a backup file was refused before anything was restored from it. */
export type BackupRefusal =
  'not-a-backup' | 'unsupported' | 'secret-missing' | 'wrong-key' | 'truncated' | 'damaged';

/** A backup file that cannot be trusted or opened; its message says which and what to do. */
export class BackupUnreadable extends OperatorError {
  constructor(
    readonly reason: BackupRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'BackupUnreadable';
  }
}

/** A backup that opened but cannot go where it was asked to (a non-empty target, another tier). */
export class RestoreRefused extends OperatorError {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

/** pg_dump or pg_restore is missing, or failed; its message carries their words, no password. */
export class DumpToolFailed extends OperatorError {
  constructor(message: string) {
    super(message);
    this.name = 'DumpToolFailed';
  }
}
