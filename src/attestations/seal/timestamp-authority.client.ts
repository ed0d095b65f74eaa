import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids';
import { parseTimestampToken } from './timestamp-token';

/** Injection token for the optional {@link TimestampAuthority} (null without TSA_URL). */
export const TIMESTAMP_AUTHORITY = Symbol('TIMESTAMP_AUTHORITY');

/** Returns an RFC 3161 TimeStampToken (DER ContentInfo) over the given bytes. */
export interface TimestampAuthority {
  timestamp(data: Buffer): Promise<Buffer>;
}

/** The TSA gave no usable timestamp; sealing stops rather than silently dropping to B-B. */
export class TimestampUnavailable extends Error {
  constructor(reason: string) {
    super(`The time-stamping authority (TSA_URL) gave no usable timestamp: ${reason}.`);
    this.name = 'TimestampUnavailable';
  }
}

const TIMEOUT_MS = 10_000;

/**
 * The request's nonce (RFC 3161 §2.4.1): 64 random bits as a positive INTEGER in minimal DER
 * (X.690 §8.3.2). The first byte is 0x01 to 0x7f: a 0x00 there, before a byte under 0x80, is a
 * non-minimal encoding that strict TSAs (OpenSSL's among them) refuse, once in 256 requests.
 */
export function timestampNonce(): Buffer {
  const nonce = randomBytes(8);
  nonce[0] = nonce[0] & 0x7f || 0x01;
  return nonce;
}

/** RFC 3161 over HTTP (§3.4): POST application/timestamp-query, SHA-256 imprint and a nonce. */
export class TimestampAuthorityClient implements TimestampAuthority {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  async timestamp(data: Buffer): Promise<Buffer> {
    const digest = createHash('sha256').update(data).digest();
    const nonce = timestampNonce();
    const request = new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: digest }),
      }),
      nonce: new asn1js.Integer({ valueHex: nonce }),
      certReq: true,
    });
    let body: ArrayBuffer;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: Buffer.from(request.toSchema().toBER()),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new TimestampUnavailable(`HTTP ${response.status}`);
      body = await response.arrayBuffer();
    } catch (error) {
      if (error instanceof TimestampUnavailable) throw error;
      throw new TimestampUnavailable(error instanceof Error ? error.name : 'request failed');
    }
    return this.tokenFrom(body, digest, nonce);
  }

  private tokenFrom(body: ArrayBuffer, digest: Buffer, nonce: Buffer): Buffer {
    let reply: pkijs.TimeStampResp;
    try {
      reply = pkijs.TimeStampResp.fromBER(body);
    } catch {
      throw new TimestampUnavailable('the reply is not a TimeStampResp');
    }
    const status = reply.status.status;
    if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
      throw new TimestampUnavailable(`the request was refused (PKIStatus ${status})`);
    }
    if (!reply.timeStampToken) throw new TimestampUnavailable('the reply holds no token');
    const der = Buffer.from(reply.timeStampToken.toSchema().toBER());
    let imprint: Buffer;
    let echoedNonce: Buffer | undefined;
    try {
      const { tstInfo } = parseTimestampToken(der);
      imprint = Buffer.from(tstInfo.messageImprint.hashedMessage.getValue());
      echoedNonce = tstInfo.nonce && Buffer.from(tstInfo.nonce.valueBlock.valueHexView);
    } catch {
      throw new TimestampUnavailable('the token does not parse');
    }
    // RFC 3161 §2.4.2: the client checks the imprint and the nonce it sent.
    if (!imprint.equals(digest)) throw new TimestampUnavailable('the token is for other data');
    if (
      !echoedNonce ||
      BigInt(`0x${echoedNonce.toString('hex')}`) !== BigInt(`0x${nonce.toString('hex')}`)
    ) {
      throw new TimestampUnavailable('the token does not echo the nonce');
    }
    return der;
  }
}
