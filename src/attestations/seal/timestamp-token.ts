import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids';

/** An RFC 3161 TimeStampToken: a SignedData whose content is a TSTInfo. */
export interface TimestampToken {
  readonly signedData: pkijs.SignedData;
  readonly tstInfo: pkijs.TSTInfo;
  /** The TSTInfo's DER, the content the TSA's signature covers. */
  readonly tstInfoDer: Buffer;
}

/** Parses a token's DER; throws on anything that is not a SignedData over a TSTInfo. */
export function parseTimestampToken(der: Buffer): TimestampToken {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  if (contentInfo.contentType !== OID.signedData) throw new Error('not a SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const { eContentType, eContent } = signedData.encapContentInfo;
  if (eContentType !== OID.tstInfo || !(eContent instanceof asn1js.OctetString)) {
    throw new Error('not a TSTInfo');
  }
  const tstInfoDer = Buffer.from(eContent.getValue());
  return { signedData, tstInfo: pkijs.TSTInfo.fromBER(tstInfoDer), tstInfoDer };
}
