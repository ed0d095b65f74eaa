import { BadRequestException, NotFoundException } from '@nestjs/common';

/** Not found and not allowed look the same from outside, so an id cannot be probed. */
export class OffboardingTaskNotFound extends NotFoundException {
  constructor() {
    super('There is no such offboarding task for this person, or you cannot mark it done.');
  }
}

export class OffboardingNoteInvalid extends BadRequestException {
  constructor() {
    super('Keep the note to 1,000 characters or fewer.');
  }
}

export class SigningLinkRefused extends NotFoundException {
  constructor() {
    super(
      'A signing link can be created only for someone else who is leaving and has an offboarding document to sign.',
    );
  }
}

/** Whatever is wrong with a link (unknown, expired, used, revoked), the answer is the same. */
export class SigningLinkInvalid extends NotFoundException {
  constructor() {
    super(
      'This signing link cannot be used: it has expired, was revoked, or was already used. Ask HR for a new one.',
    );
  }
}
