import { Injectable } from '@nestjs/common';
import { Secret, TOTP } from 'otpauth';
import { toDataURL } from 'qrcode';
import { Clock } from '../../common/clock';
import { DataCipher } from '../../common/crypto/data-cipher';
import type { TotpCredential } from './totp-credential.entity';
import { TotpAlreadyEnrolled, TotpCodeInvalid, TotpEnrolmentNotStarted } from './totp.errors';
import { TotpRepository } from './totp.repository';
import {
  generateRecoveryCode,
  hashRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
  recoveryCodeMatches,
} from './recovery-codes';

/**
 * RFC 6238 defaults: HMAC-SHA1, 6 digits, 30-second steps. Google Authenticator and several
 * other apps ignore the algorithm, digits and period parameters of the otpauth URI and always
 * use these, so any other choice would enrol devices that then show wrong codes.
 */
const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
/** RFC 6238 §5.2: accept one step either side for clock drift and typing time, no more. */
const WINDOW = 1;
/** RFC 4226 §4 (R6): the shared secret should be 160 bits. */
const SECRET_BYTES = 20;

/** What the enrolment page shows. Holds the secret: render it, never log or store it. */
export interface TotpEnrolment {
  readonly otpauthUri: string;
  readonly qrCodeDataUrl: string;
  readonly secretBase32: string;
}

/** Time-based one-time passwords for admins' second factor, and their recovery codes. */
@Injectable()
export class TotpService {
  constructor(
    private readonly totp: TotpRepository,
    private readonly cipher: DataCipher,
    private readonly clock: Clock,
  ) {}

  /** Creates a new secret awaiting confirmation, replacing any earlier unconfirmed one. */
  async startEnrolment(
    personId: string,
    accountLabel: string,
    issuer: string,
  ): Promise<TotpEnrolment> {
    const existing = await this.totp.findCredential(personId);
    if (existing?.confirmedAt) throw new TotpAlreadyEnrolled();
    const secret = new Secret({ size: SECRET_BYTES });
    const enrolment = await enrolmentFor(secret, accountLabel, issuer);
    const ciphertext = this.cipher.encrypt(secret.base32, secretContext(personId));
    const saved = await this.totp.saveUnconfirmed(personId, ciphertext, this.clock.now());
    // Confirmed by a concurrent request between the read and the write.
    if (!saved) throw new TotpAlreadyEnrolled();
    return enrolment;
  }

  /**
   * The pending enrolment again, e.g. to show the form once more after a mistyped code: a new
   * secret each time would leave a stale entry in the app for every typo.
   */
  async resumeEnrolment(
    personId: string,
    accountLabel: string,
    issuer: string,
  ): Promise<TotpEnrolment> {
    const credential = await this.totp.findCredential(personId);
    if (!credential) throw new TotpEnrolmentNotStarted();
    if (credential.confirmedAt) throw new TotpAlreadyEnrolled();
    return enrolmentFor(this.secretOf(personId, credential), accountLabel, issuer);
  }

  /**
   * Completes enrolment once the person proves their authenticator holds the secret. Returns
   * the recovery codes: this is the only time they exist in plain text.
   */
  async confirmEnrolment(personId: string, code: string): Promise<string[]> {
    const credential = await this.totp.findCredential(personId);
    if (!credential) throw new TotpEnrolmentNotStarted();
    if (credential.confirmedAt) throw new TotpAlreadyEnrolled();
    const token = parseCode(code);
    const step = token === undefined ? undefined : this.matchingStep(personId, credential, token);
    if (step === undefined) throw new TotpCodeInvalid();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    const hashes = await Promise.all(codes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c)!)));
    if (!(await this.totp.confirm(personId, step, hashes, this.clock.now()))) {
      throw new TotpAlreadyEnrolled();
    }
    return codes;
  }

  /**
   * New recovery codes for an enrolled person, replacing every earlier one, used or not: for a
   * person whose codes ran out, were exposed, or were issued in an older, weaker form.
   */
  async replaceRecoveryCodes(personId: string): Promise<string[]> {
    if (!(await this.isEnrolled(personId))) throw new TotpEnrolmentNotStarted();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    const hashes = await Promise.all(codes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c)!)));
    await this.totp.replaceRecoveryCodes(personId, hashes, this.clock.now());
    return codes;
  }

  /** True when the code is valid now and its step has not been used before. */
  async verify(personId: string, code: string): Promise<boolean> {
    const token = parseCode(code);
    if (!token) return false;
    const credential = await this.totp.findCredential(personId);
    if (!credential?.confirmedAt) return false;
    const step = this.matchingStep(personId, credential, token);
    if (step === undefined) return false;
    // The repository refuses this step and any earlier one atomically (RFC 6238 §5.2).
    return this.totp.consumeStep(personId, step);
  }

  /** True when the code is one of this person's unused recovery codes; it is then used up. */
  async useRecoveryCode(personId: string, code: string): Promise<boolean> {
    const normalised = normaliseRecoveryCode(code);
    if (!normalised) return false;
    // Salted hashes cannot be looked up: check each unused code, then use up the one that matched
    // with a conditional update, so two requests racing with one code get one success.
    for (const stored of await this.totp.unusedRecoveryCodes(personId)) {
      if (await recoveryCodeMatches(normalised, stored.codeHash)) {
        return this.totp.consumeRecoveryCode(stored.id, this.clock.now());
      }
    }
    return false;
  }

  async isEnrolled(personId: string): Promise<boolean> {
    const credential = await this.totp.findCredential(personId);
    return Boolean(credential?.confirmedAt);
  }

  /** The time step whose code matches within the window, or undefined. */
  private matchingStep(
    personId: string,
    credential: TotpCredential,
    token: string,
  ): number | undefined {
    const secret = this.secretOf(personId, credential);
    const timestamp = this.clock.now().getTime();
    const options = { secret, algorithm: ALGORITHM, digits: DIGITS, period: PERIOD_SECONDS };
    const delta = TOTP.validate({ ...options, token, timestamp, window: WINDOW });
    if (delta === null) return undefined;
    return TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
  }

  private secretOf(personId: string, credential: TotpCredential): Secret {
    return Secret.fromBase32(
      this.cipher.decrypt(credential.secretCiphertext, secretContext(personId)),
    );
  }
}

async function enrolmentFor(
  secret: Secret,
  accountLabel: string,
  issuer: string,
): Promise<TotpEnrolment> {
  const otpauthUri = new TOTP({
    issuer,
    label: accountLabel,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret,
  }).toString();
  // Medium error correction: survives glare or a smudge on screen and keeps the code small.
  const qrCodeDataUrl = await toDataURL(otpauthUri, { errorCorrectionLevel: 'M' });
  return { otpauthUri, qrCodeDataUrl, secretBase32: secret.base32 };
}

/** Binds the ciphertext to its owner: a secret copied onto another person's row will not decrypt. */
function secretContext(personId: string): string {
  return `totp:${personId}`;
}

/** Exactly six digits once spaces are removed (apps show "123 456"); undefined otherwise. */
function parseCode(code: string): string | undefined {
  const token = typeof code === 'string' ? code.replace(/\s+/g, '') : '';
  return /^\d{6}$/.test(token) ? token : undefined;
}
