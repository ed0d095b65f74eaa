import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OperatorError } from '../../common/errors/operator.error';

/** PEM text as given, or the contents of the file it names. */
export function pemOrFile(value: string, variable: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw new OperatorError(`${variable} is neither PEM text nor a readable file path.`);
  }
}

/** Every certificate in a PEM bundle, each checked to parse as X.509. */
export function certificatesIn(pem: string, variable: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new OperatorError(`${variable} holds no PEM certificate.`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw new OperatorError(`${variable} holds a certificate that does not parse.`);
    }
  }
  return blocks;
}

/** A base64 certificate body from metadata, as PEM. */
export function pemFromBase64(body: string): string {
  const clean = body.replace(/\s+/g, '');
  const lines = clean.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
