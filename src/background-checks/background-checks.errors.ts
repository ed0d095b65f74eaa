import {
  ConflictException,
  ForbiddenException,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';

/** One thing wrong with a form or a payload, at the field where it is. */
export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * No such check, or one the principal may not see: deliberately one error, so an id cannot be
 * probed.
 */
export class BackgroundCheckNotFound extends NotFoundException {
  constructor() {
    super('There is no such background check. Check the address, or go back to the list.');
    this.name = 'BackgroundCheckNotFound';
  }
}

export class PersonNotFound extends NotFoundException {
  constructor() {
    super('There is no such person. Check the address, or go back to the list of people.');
    this.name = 'PersonNotFound';
  }
}

/** Every problem at once, so that nobody fixes one field per round trip. */
export class BackgroundCheckInvalid extends UnprocessableEntityException {
  constructor(readonly problems: readonly InputProblem[]) {
    super({
      message: `Fix these and submit again: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`,
      details: problems,
    });
    this.name = 'BackgroundCheckInvalid';
  }
}

export class BackgroundCheckExists extends ConflictException {
  constructor() {
    super('This person already has a check of this type. Open it from the list and update it.');
    this.name = 'BackgroundCheckExists';
  }
}

/** The provider's event names a check that already belongs to another person or type. */
export class ProviderReferenceConflict extends ConflictException {
  constructor() {
    super(
      'This providerReference already belongs to a check of another person or type. Send a new providerReference for a new check.',
    );
    this.name = 'ProviderReferenceConflict';
  }
}

export class SelfAdjudicationRefused extends ForbiddenException {
  constructor() {
    super('You cannot create or change your own background check. Ask another HR administrator.');
    this.name = 'SelfAdjudicationRefused';
  }
}
