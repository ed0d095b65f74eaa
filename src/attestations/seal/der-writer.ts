/** Minimal DER encoding (X.690 §8.1): enough to join pre-encoded pieces into one structure. */

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  sequence: 0x30,
  set: 0x31,
  /** [0] and [1], constructed, context-specific. */
  context0: 0xa0,
  context1: 0xa1,
} as const;

/** X.690 §8.1.3: short form below 128, else the long form with the fewest octets. */
function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

/** One TLV whose value is the given (already DER-encoded) parts, in order. */
export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([Buffer.from([tag]), lengthOctets(length), ...parts]);
}
