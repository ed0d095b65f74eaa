import * as asn1js from 'asn1js';
import { timestampNonce } from './timestamp-authority.client';

describe(timestampNonce.name, () => {
  it('is always a positive INTEGER in minimal DER, which strict TSAs require', () => {
    for (let i = 0; i < 2_000; i++) {
      const nonce = timestampNonce();
      expect(nonce).toHaveLength(8);
      // X.690 §8.3.2: no leading 0x00 (or 0xff) byte that the next byte's high bit makes redundant.
      expect(nonce[0]).toBeGreaterThan(0);
      expect(nonce[0]).toBeLessThan(0x80);
      const der = Buffer.from(new asn1js.Integer({ valueHex: nonce }).toBER());
      expect(der.subarray(2)).toEqual(nonce);
    }
  });
});
