/** The person already has a confirmed authenticator; enrolling again would silently replace it. */
export class TotpAlreadyEnrolled extends Error {
  constructor() {
    super('An authenticator is already set up for this account. Sign in with it instead.');
    this.name = 'TotpAlreadyEnrolled';
  }
}

/** Confirmation was attempted without a pending enrolment (expired, or never started). */
export class TotpEnrolmentNotStarted extends Error {
  constructor() {
    super('There is no authenticator set-up in progress. Start the set-up again.');
    this.name = 'TotpEnrolmentNotStarted';
  }
}

/** The code did not match the authenticator being set up. */
export class TotpCodeInvalid extends Error {
  constructor() {
    super(
      'That code did not match. Check that your device shows the right time and enter the current code.',
    );
    this.name = 'TotpCodeInvalid';
  }
}
