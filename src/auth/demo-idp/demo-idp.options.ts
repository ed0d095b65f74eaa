/** What the demo IdP needs to know about Attest, its one service provider. */
export interface DemoIdpOptions {
  publicUrl: string;
  dataDir: string;
  spEntityId: string;
  acsUrl: string;
}

export const DEMO_IDP_OPTIONS = Symbol('DEMO_IDP_OPTIONS');
export const DEMO_IDP_KEYS = Symbol('DEMO_IDP_KEYS');

export function demoIdpEntityId(publicUrl: string): string {
  return `${publicUrl}/demo-idp/metadata`;
}

export function demoIdpSsoUrl(publicUrl: string): string {
  return `${publicUrl}/demo-idp/sso`;
}
