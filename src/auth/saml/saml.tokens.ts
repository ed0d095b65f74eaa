/** Injection token for the node-saml options built at start-up. */
export const SAML_OPTIONS = Symbol('SAML_OPTIONS');
/** Injection token for the SP's key pair (undefined when AuthnRequests go unsigned). */
export const SP_KEYS = Symbol('SP_KEYS');
