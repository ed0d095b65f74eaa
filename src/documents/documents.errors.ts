import { ConflictException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { OperatorError } from '../common/errors/operator.error';

/** One reason a file in policies/ was refused. */
export interface DocumentSourceProblem {
  /** Path relative to the policies folder. */
  readonly file: string;
  readonly message: string;
}

/** `attest documents sync` refused: nothing was written. */
export class DocumentSyncRefused extends OperatorError {
  constructor(readonly problems: readonly DocumentSourceProblem[]) {
    super(
      [
        `Documents were not synced: ${problems.length} problem${problems.length === 1 ? '' : 's'} in policies/. Nothing was written.`,
        ...problems.map((p) => `  ${p.file}: ${p.message}`),
      ].join('\n'),
    );
  }
}

/** No such document for this person, or not one they may read: one error, nothing to probe. */
export class DocumentNotFound extends NotFoundException {
  constructor() {
    super('There is no such document. Go back to My documents.');
    this.name = 'DocumentNotFound';
  }
}

/** A newer version was published after the person opened this one. */
export class DocumentVersionSuperseded extends ConflictException {
  constructor(readonly current: string) {
    super(
      `This version has been replaced by version ${current}. Open the document again to read and sign the current version.`,
    );
    this.name = 'DocumentVersionSuperseded';
  }
}

/** ESIGN §7001(c)(1)(A): no electronic record before consent to electronic records. */
export class ConsentRequired extends ConflictException {
  constructor() {
    super(
      'Before you sign anything electronically, read and accept the consent to electronic records.',
    );
    this.name = 'ConsentRequired';
  }
}

/** A form the person can correct: shown beside the form, which keeps what they typed. */
export class SigningInputInvalid extends UnprocessableEntityException {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
    this.name = 'SigningInputInvalid';
  }
}
