import { NotFoundException } from '@nestjs/common';

/** No person has this id; answered as a plain 404, so ids cannot be probed. */
export class PersonNotFound extends NotFoundException {
  constructor() {
    super('No person with that id. Go back to the people list and choose someone from it.');
  }
}

/**
 * A sign-in whose IdP identity (issuer and NameID) is bound to another record than its email
 * selects, or whose email selects a record bound to another identity. The binding never moves
 * on its own: that is how one person signed in as another after an email was moved.
 */
export class IdentityBoundElsewhere extends Error {
  constructor(
    /** The record the identity is bound to; null when no record holds it. */
    readonly boundTo: string | null,
    /** The record the email selects. */
    readonly emailOf: string,
  ) {
    super('identity bound to another person');
    this.name = 'IdentityBoundElsewhere';
  }
}
