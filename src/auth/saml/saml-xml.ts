import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import { SamlLoginRefused } from './saml-login.errors';

export const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
};

export const select = xpath.useNamespaces(NS);

/** Parses SAML XML strictly: any DOCTYPE or parser error refuses the message. */
export function parseSamlXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new SamlLoginRefused('doctype');
  const fail = () => {
    throw new SamlLoginRefused('malformed');
  };
  return new DOMParser({ errorHandler: { error: fail, fatalError: fail } }).parseFromString(
    xml,
    'text/xml',
  ) as unknown as Document;
}

export function nodes(expression: string, context: Node): Element[] {
  return select(expression, context) as Element[];
}

export function one(expression: string, context: Node): Element | undefined {
  return (select(expression, context, true) as Element | undefined) ?? undefined;
}

export function textOf(element: Element | undefined): string | undefined {
  return element?.textContent?.trim() || undefined;
}
