import { HttpException, HttpStatus } from '@nestjs/common';

/** Nobody is signed in: browsers are sent to sign in and brought back to `returnTo`. */
export class SignInRequired extends HttpException {
  constructor(readonly returnTo: string) {
    super('Please sign in to continue.', HttpStatus.UNAUTHORIZED);
  }
}

/** An admin permission is needed and TOTP has not been verified in this session yet. */
export class StepUpRequired extends HttpException {
  constructor() {
    super('Verify your authenticator code to use administrator pages.', HttpStatus.FORBIDDEN);
  }
}
