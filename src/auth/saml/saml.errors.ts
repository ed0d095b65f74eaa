/**
 * A SAML protocol message Attest will not process. `reason` is a short machine code for logs
 * and tests; `message` is safe to show to the person in the browser.
 */
export class SamlMessageRejected extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Larger than the limit once decoded or inflated: refused before any XML parser sees it. */
export class SamlMessageTooLarge extends SamlMessageRejected {
  constructor(readonly limitBytes: number) {
    super('too_large', `The SAML message is larger than ${limitBytes} bytes, so it was refused.`);
  }
}
