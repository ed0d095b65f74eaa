import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { type ParsedAuthnRequest, parseRedirectAuthnRequest } from '../saml/authn-request.parser';
import {
  AUTHN_CONTEXT_MFA,
  AUTHN_CONTEXT_PASSWORD,
  buildSamlResponse,
  escapeXml,
  NAME_ID_FORMAT_EMAIL,
} from '../saml/saml-response.builder';
import { SamlMessageRejected } from '../saml/saml.errors';
import type { DemoIdpKeys } from './demo-idp.keys';
import {
  DEMO_IDP_KEYS,
  DEMO_IDP_OPTIONS,
  type DemoIdpOptions,
  demoIdpEntityId,
  demoIdpSsoUrl,
} from './demo-idp.options';
import { type DemoPersona, type DemoPersonaId, demoPersonas } from './demo-personas';

const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const HTTP_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const START_AGAIN = 'Start again from the Attest sign-in page.';

export interface DemoPersonaView {
  id: string;
  label: string;
  description: string;
  displayName: string;
  email: string;
  groups: string;
  department: string;
  country: string;
  startDate: string;
  mfa: string;
}

export interface DemoIdpIndexView {
  title: string;
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  loginUrl: string;
  personas: DemoPersonaView[];
}

export interface DemoPersonaChoiceView {
  title: string;
  spEntityId: string;
  samlRequest: string;
  relayState: string | undefined;
  personas: DemoPersonaView[];
}

export interface DemoSamlPostView {
  title: string;
  acsUrl: string;
  samlResponse: string;
  relayState: string | undefined;
}

function personaView(persona: DemoPersona): DemoPersonaView {
  return {
    id: persona.id,
    label: persona.label,
    description: persona.description,
    displayName: persona.displayName,
    email: persona.email,
    groups: persona.groups.join(', '),
    department: persona.department,
    country: persona.country,
    startDate: persona.startDate,
    mfa: persona.mfa ? 'Yes' : 'No',
  };
}

/**
 * Attest's built-in identity provider for local evaluation. It answers only Attest's own
 * AuthnRequests, with Responses signed like a real IdP's, so sign-in runs the same SP checks
 * as production.
 */
@Injectable()
export class DemoIdpService {
  readonly entityId: string;
  readonly ssoUrl: string;

  constructor(
    @Inject(DEMO_IDP_OPTIONS) private readonly options: DemoIdpOptions,
    @Inject(DEMO_IDP_KEYS) private readonly keys: DemoIdpKeys,
    private readonly clock: Clock,
  ) {
    this.entityId = demoIdpEntityId(options.publicUrl);
    this.ssoUrl = demoIdpSsoUrl(options.publicUrl);
  }

  overview(): DemoIdpIndexView {
    return {
      title: 'Demo identity provider',
      entityId: this.entityId,
      ssoUrl: this.ssoUrl,
      metadataUrl: this.entityId,
      loginUrl: '/auth/saml/login',
      personas: this.personas().map(personaView),
    };
  }

  /** SAML Metadata §2.4.3: one signing key, SSO over the Redirect binding. */
  metadata(): string {
    const body = this.keys.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escapeXml(this.entityId)}">` +
      `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:NameIDFormat>${NAME_ID_FORMAT_EMAIL}</md:NameIDFormat>` +
      `<md:SingleSignOnService Binding="${HTTP_REDIRECT}" Location="${escapeXml(this.ssoUrl)}"/>` +
      `</md:IDPSSODescriptor>` +
      `</md:EntityDescriptor>\n`
    );
  }

  /** Checks Attest's AuthnRequest and offers the personas to sign in as. */
  review(samlRequest: string, relayState: string | undefined): DemoPersonaChoiceView {
    this.check(samlRequest);
    return {
      title: 'Choose a demo persona',
      spEntityId: this.options.spEntityId,
      samlRequest,
      relayState,
      personas: this.personas().map(personaView),
    };
  }

  /** Answers the AuthnRequest, checked afresh, with a signed Response for the persona. */
  signIn(
    personaId: DemoPersonaId,
    samlRequest: string,
    relayState: string | undefined,
  ): DemoSamlPostView {
    const request = this.check(samlRequest);
    const now = this.clock.now();
    const persona = this.personas(now).find((p) => p.id === personaId);
    if (!persona)
      throw new SamlMessageRejected('unknown_persona', 'Choose one of the demo personas.');
    const response = buildSamlResponse({
      idp: { entityId: this.entityId, ...this.keys },
      sp: { entityId: this.options.spEntityId, acsUrl: this.options.acsUrl },
      inResponseTo: request.id,
      nameId: persona.email,
      nameIdFormat: NAME_ID_FORMAT_EMAIL,
      authnContextClassRef: persona.mfa ? AUTHN_CONTEXT_MFA : AUTHN_CONTEXT_PASSWORD,
      now,
      attributes: {
        email: persona.email,
        displayName: persona.displayName,
        groups: persona.groups,
        department: persona.department,
        country: persona.country,
        managerEmail: persona.managerEmail,
        startDate: persona.startDate,
        employeeNumber: persona.employeeNumber,
      },
    });
    return {
      title: 'Signing you in',
      acsUrl: this.options.acsUrl,
      samlResponse: response.base64,
      relayState,
    };
  }

  private personas(now: Date = this.clock.now()): readonly DemoPersona[] {
    return demoPersonas(now);
  }

  /** SAML Core §3.2.1 and §3.4.1: answer only our SP, at its registered ACS, over POST. */
  private check(samlRequest: string): ParsedAuthnRequest {
    const request = parseRedirectAuthnRequest(samlRequest);
    if (request.issuer !== this.options.spEntityId) {
      throw new SamlMessageRejected(
        'unknown_issuer',
        `The demo identity provider only signs in to this Attest instance. ${START_AGAIN}`,
      );
    }
    if (request.acsUrl !== undefined && request.acsUrl !== this.options.acsUrl) {
      throw new SamlMessageRejected(
        'acs_mismatch',
        `The sign-in request names a return address that is not Attest's. ${START_AGAIN}`,
      );
    }
    if (request.destination !== undefined && request.destination !== this.ssoUrl) {
      throw new SamlMessageRejected(
        'destination',
        `The sign-in request was meant for another identity provider. ${START_AGAIN}`,
      );
    }
    if (request.protocolBinding !== undefined && request.protocolBinding !== HTTP_POST) {
      throw new SamlMessageRejected(
        'unsupported_binding',
        `The demo identity provider answers over HTTP-POST only. ${START_AGAIN}`,
      );
    }
    return request;
  }
}
