import { PDFHexString, PDFString } from 'pdf-lib';

/** Printable ASCII but the three characters a literal string must escape (§7.3.4.2). */
const PLAIN_LITERAL = /^[\x20-\x27\x2a-\x5b\x5d-\x7e]*$/;

/**
 * The one way a value reaches a PDF text string (ISO 32000-1 §7.9.2.2). pdf-lib's
 * PDFString.of writes its argument between parentheses as it is, so a `)` ends the string
 * early and what follows becomes PDF syntax, and it drops the high byte of any character past
 * U+00FF. Plain ASCII stays a readable literal; anything else becomes a hexadecimal string of
 * UTF-16BE with a byte order mark (§7.3.4.3), which no value can break out of.
 */
export function pdfText(value: string): PDFString | PDFHexString {
  return PLAIN_LITERAL.test(value) ? PDFString.of(value) : PDFHexString.fromText(value);
}

/** Whether pdf-lib may write `value` as a literal string unescaped (it has no `(`, `)` or `\`). */
export function isPlainLiteral(value: string): boolean {
  return PLAIN_LITERAL.test(value);
}
