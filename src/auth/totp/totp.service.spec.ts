import { createHash, randomBytes } from 'node:crypto';
import { normaliseRecoveryCode, recoveryCodeMatches } from './recovery-codes';
import { Secret, TOTP } from 'otpauth';
import { toDataURL } from 'qrcode';
import { Clock } from '../../common/clock';
import { CiphertextTampered, DataCipher } from '../../common/crypto/data-cipher';
import type { TotpCredential } from './totp-credential.entity';
import { TotpAlreadyEnrolled, TotpCodeInvalid, TotpEnrolmentNotStarted } from './totp.errors';
import type { TotpRepository } from './totp.repository';
import { TotpService } from './totp.service';

// Rendering a PNG takes about half a second under Jest; one test below uses the real renderer.
jest.mock('qrcode', () => ({
  toDataURL: jest.fn(async () => 'data:image/png;base64,c3R1Yg=='),
}));

const PERSON = 'a1b2c3d4-0000-4000-8000-000000000001';
const T0 = new Date('2026-05-04T10:00:15.000Z');
const STEP0 = Math.floor(T0.getTime() / 30_000);

class FakeClock extends Clock {
  constructor(public current: Date) {
    super();
  }
  override now(): Date {
    return this.current;
  }
}

interface StoredCredential {
  secretCiphertext: string;
  confirmedAt: Date | null;
  lastUsedStep: number | null;
}

/** An in-memory repository with the same conditional semantics as the SQL one. */
function fakeRepository() {
  const credentials = new Map<string, StoredCredential>();
  const codes: { id: string; personId: string; hash: string; usedAt: Date | null }[] = [];
  const repo = {
    findCredential: jest.fn(async (personId: string) => {
      const row = credentials.get(personId);
      return row ? ({ ...row } as unknown as TotpCredential) : null;
    }),
    saveUnconfirmed: jest.fn(async (personId: string, secretCiphertext: string) => {
      if (credentials.get(personId)?.confirmedAt) return false;
      credentials.set(personId, { secretCiphertext, confirmedAt: null, lastUsedStep: null });
      return true;
    }),
    confirm: jest.fn(async (personId: string, step: number, hashes: string[], now: Date) => {
      const row = credentials.get(personId);
      if (!row || row.confirmedAt) return false;
      Object.assign(row, { confirmedAt: now, lastUsedStep: step });
      codes.push(
        ...hashes.map((hash) => ({
          id: `code-${codes.length}-${hash}`,
          personId,
          hash,
          usedAt: null,
        })),
      );
      return true;
    }),
    consumeStep: jest.fn(async (personId: string, step: number) => {
      const row = credentials.get(personId);
      if (!row?.confirmedAt || (row.lastUsedStep !== null && row.lastUsedStep >= step)) {
        return false;
      }
      row.lastUsedStep = step;
      return true;
    }),
    replaceRecoveryCodes: jest.fn(async (personId: string, hashes: string[]) => {
      for (let i = codes.length - 1; i >= 0; i--)
        if (codes[i].personId === personId) codes.splice(i, 1);
      codes.push(...hashes.map((hash, i) => ({ id: `new-${i}`, personId, hash, usedAt: null })));
    }),
    unusedRecoveryCodes: jest.fn(async (personId: string) =>
      codes
        .filter((c) => c.personId === personId && !c.usedAt)
        .map((c) => ({ id: c.id, codeHash: c.hash })),
    ),
    consumeRecoveryCode: jest.fn(async (id: string, now: Date) => {
      const code = codes.find((c) => c.id === id && !c.usedAt);
      if (code) code.usedAt = now;
      return Boolean(code);
    }),
  };
  return { repo, credentials };
}

describe(TotpService.name, () => {
  let clock: FakeClock;
  let cipher: DataCipher;
  let fake: ReturnType<typeof fakeRepository>;
  let sut: TotpService;

  beforeEach(() => {
    clock = new FakeClock(T0);
    cipher = new DataCipher({ current: randomBytes(32) });
    fake = fakeRepository();
    sut = new TotpService(fake.repo as unknown as TotpRepository, cipher, clock);
  });

  /** The code an authenticator app shows at `offsetSteps` steps from T0. */
  const codeAt = (secretBase32: string, offsetSteps: number) =>
    TOTP.generate({
      secret: Secret.fromBase32(secretBase32),
      timestamp: T0.getTime() + offsetSteps * 30_000,
    });

  /** Everything the repository was ever given, as one string. */
  const repositoryInput = () =>
    JSON.stringify(Object.values(fake.repo).map((fn: jest.Mock) => fn.mock.calls));

  async function enrol(): Promise<{ secret: string; recoveryCodes: string[] }> {
    const { secretBase32: secret } = await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
    const recoveryCodes = await sut.confirmEnrolment(PERSON, codeAt(secret, 0));
    return { secret, recoveryCodes };
  }

  describe('startEnrolment', () => {
    it('returns an RFC 6238 otpauth URI, a PNG QR code of it and the secret', async () => {
      const { toDataURL: realToDataUrl } = jest.requireActual<typeof import('qrcode')>('qrcode');
      jest.mocked(toDataURL).mockImplementationOnce(realToDataUrl as never);
      const result = await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
      expect(toDataURL).toHaveBeenCalledWith(
        result.otpauthUri,
        expect.objectContaining({ errorCorrectionLevel: 'M' }),
      );
      const uri = new URL(result.otpauthUri);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.searchParams.get('secret')).toBe(result.secretBase32);
      expect(uri.searchParams.get('issuer')).toBe('Attest');
      expect(uri.searchParams.get('algorithm')).toBe('SHA1');
      expect(uri.searchParams.get('digits')).toBe('6');
      expect(uri.searchParams.get('period')).toBe('30');
      expect(decodeURIComponent(uri.pathname)).toContain('ada@example.org');
      expect(result.secretBase32).toMatch(/^[A-Z2-7]{32}$/);
      const [, png] = result.qrCodeDataUrl.split('data:image/png;base64,');
      expect(Buffer.from(png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    });

    it('stores the secret encrypted, bound to the person', async () => {
      const { secretBase32 } = await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
      const stored = fake.credentials.get(PERSON)!.secretCiphertext;
      expect(repositoryInput()).not.toContain(secretBase32);
      expect(cipher.decrypt(stored, `totp:${PERSON}`)).toBe(secretBase32);
      expect(() => cipher.decrypt(stored, 'totp:someone-else')).toThrow(CiphertextTampered);
    });

    it('replaces an unconfirmed secret when started again', async () => {
      const first = await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
      const second = await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
      expect(second.secretBase32).not.toBe(first.secretBase32);
      await expect(sut.confirmEnrolment(PERSON, codeAt(first.secretBase32, 0))).rejects.toThrow(
        TotpCodeInvalid,
      );
    });

    it('shows the same pending secret again when resumed', async () => {
      const started = await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
      const resumed = await sut.resumeEnrolment(PERSON, 'ada@example.org', 'Attest');
      expect(resumed.secretBase32).toBe(started.secretBase32);
      expect(resumed.otpauthUri).toBe(started.otpauthUri);
    });

    it('refuses to resume when nothing is pending', async () => {
      await expect(sut.resumeEnrolment(PERSON, 'a', 'Attest')).rejects.toThrow(
        TotpEnrolmentNotStarted,
      );
      await enrol();
      await expect(sut.resumeEnrolment(PERSON, 'a', 'Attest')).rejects.toThrow(TotpAlreadyEnrolled);
    });

    it('refuses when an authenticator is already confirmed', async () => {
      await enrol();
      await expect(sut.startEnrolment(PERSON, 'ada@example.org', 'Attest')).rejects.toThrow(
        TotpAlreadyEnrolled,
      );
    });

    it('refuses when a confirmation wins the race after the check', async () => {
      fake.repo.saveUnconfirmed.mockResolvedValueOnce(false);
      await expect(sut.startEnrolment(PERSON, 'ada@example.org', 'Attest')).rejects.toThrow(
        TotpAlreadyEnrolled,
      );
    });
  });

  describe('confirmEnrolment', () => {
    it('refuses a wrong code and confirms nothing', async () => {
      const { secretBase32 } = await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
      await expect(sut.confirmEnrolment(PERSON, codeAt(secretBase32, 2))).rejects.toThrow(
        TotpCodeInvalid,
      );
      expect(fake.repo.confirm).not.toHaveBeenCalled();
      expect(await sut.isEnrolled(PERSON)).toBe(false);
    });

    it('refuses without an enrolment in progress, and after one is confirmed', async () => {
      await expect(sut.confirmEnrolment(PERSON, '123456')).rejects.toThrow(TotpEnrolmentNotStarted);
      const { secret } = await enrol();
      await expect(sut.confirmEnrolment(PERSON, codeAt(secret, 1))).rejects.toThrow(
        TotpAlreadyEnrolled,
      );
    });

    it('returns 10 distinct, well-formed recovery codes and stores only their hashes', async () => {
      const { recoveryCodes } = await enrol();
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const code of recoveryCodes) {
        expect(code).toMatch(/^([0-9a-hjkmnp-tv-z]{4}-){3}[0-9a-hjkmnp-tv-z]{4}$/);
      }
      const [, , hashes] = fake.repo.confirm.mock.calls[0];
      // Salted and slow: no two alike, none the plain SHA-256 a table could be searched for.
      expect(new Set(hashes).size).toBe(10);
      const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
      for (const [i, hash] of hashes.entries()) {
        expect(hash).toMatch(/^s1\$[A-Za-z0-9_-]{16}\$[A-Za-z0-9_-]{22}$/);
        expect(hash).not.toContain(sha256(recoveryCodes[i].replace(/-/g, '')));
        expect(await recoveryCodeMatches(recoveryCodes[i].replace(/-/g, ''), hash)).toBe(true);
      }
      const input = repositoryInput();
      for (const code of recoveryCodes) {
        expect(input).not.toContain(code);
        expect(input).not.toContain(code.replace(/-/g, ''));
      }
    });

    it('draws 16 symbols from all 32, for 80 bits per code', async () => {
      const symbols = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const person = `person-${i}`;
        const { secretBase32 } = await sut.startEnrolment(person, 'a@example.org', 'Attest');
        const codes = await sut.confirmEnrolment(person, codeAt(secretBase32, 0));
        codes
          .join('')
          .replace(/-/g, '')
          .split('')
          .forEach((c) => symbols.add(c));
      }
      // 1,600 uniform draws miss one of 32 symbols with probability below 1e-12.
      expect(symbols.size).toBe(32);
    });

    it('marks the confirming code as used, so it cannot also sign in', async () => {
      const { secret } = await enrol();
      expect(fake.repo.confirm).toHaveBeenCalledWith(PERSON, STEP0, expect.any(Array), T0);
      expect(await sut.verify(PERSON, codeAt(secret, 0))).toBe(false);
    });
  });

  describe('verify', () => {
    let secret: string;
    beforeEach(async () => {
      ({ secret } = await enrol());
      // Later than the confirming code, so each test starts with unused steps around "now".
      clock.current = new Date(T0.getTime() + 5 * 30_000);
    });
    const now = (offsetSteps: number) => codeAt(secret, 5 + offsetSteps);

    it.each([-1, 0, 1])('accepts the code for step %i and consumes that step', async (offset) => {
      expect(await sut.verify(PERSON, now(offset))).toBe(true);
      expect(fake.repo.consumeStep).toHaveBeenCalledWith(PERSON, STEP0 + 5 + offset);
    });

    it.each([-2, 2, -10])('refuses the code for step %i', async (offset) => {
      expect(await sut.verify(PERSON, now(offset))).toBe(false);
    });

    it('refuses the same code twice', async () => {
      expect(await sut.verify(PERSON, now(0))).toBe(true);
      expect(await sut.verify(PERSON, now(0))).toBe(false);
    });

    it('refuses a code for a step before the last one used', async () => {
      expect(await sut.verify(PERSON, now(1))).toBe(true);
      expect(await sut.verify(PERSON, now(0))).toBe(false);
      expect(await sut.verify(PERSON, now(-1))).toBe(false);
    });

    it('accepts spaces inside the code, as apps display it', async () => {
      const code = now(0);
      expect(await sut.verify(PERSON, ` ${code.slice(0, 3)} ${code.slice(3)} `)).toBe(true);
    });

    it.each(['', '12345', '1234567', 'abcdef', '12345a', '١٢٣٤٥٦'])(
      'refuses malformed input %p without a lookup',
      async (input) => {
        fake.repo.findCredential.mockClear();
        expect(await sut.verify(PERSON, input)).toBe(false);
        expect(fake.repo.findCredential).not.toHaveBeenCalled();
      },
    );

    it('refuses a code from an enrolment that was never confirmed', async () => {
      const other = 'a1b2c3d4-0000-4000-8000-000000000002';
      const { secretBase32 } = await sut.startEnrolment(other, 'bob@example.org', 'Attest');
      const code = TOTP.generate({
        secret: Secret.fromBase32(secretBase32),
        timestamp: +clock.now(),
      });
      expect(await sut.verify(other, code)).toBe(false);
    });
  });

  describe('useRecoveryCode', () => {
    it('accepts each code once, however it is typed', async () => {
      const { recoveryCodes } = await enrol();
      const [first, second] = recoveryCodes;
      expect(await sut.useRecoveryCode(PERSON, first)).toBe(true);
      expect(await sut.useRecoveryCode(PERSON, first)).toBe(false);
      expect(
        await sut.useRecoveryCode(PERSON, ` ${second.toUpperCase().replace(/-/g, ' ')} `),
      ).toBe(true);
    });

    it('refuses an unknown code and malformed input', async () => {
      await enrol();
      expect(await sut.useRecoveryCode(PERSON, 'zzzz-zzzz-zzzz-zzzz')).toBe(false);
      fake.repo.consumeRecoveryCode.mockClear();
      expect(await sut.useRecoveryCode(PERSON, 'not a code!')).toBe(false);
      expect(fake.repo.consumeRecoveryCode).not.toHaveBeenCalled();
    });
  });

  describe('replaceRecoveryCodes', () => {
    it('issues ten new codes, and the earlier ones stop working', async () => {
      const { recoveryCodes } = await enrol();
      const fresh = await sut.replaceRecoveryCodes(PERSON);
      expect(fresh).toHaveLength(10);
      expect(await sut.useRecoveryCode(PERSON, recoveryCodes[0])).toBe(false);
      expect(await sut.useRecoveryCode(PERSON, fresh[0])).toBe(true);
    });

    it('refuses a person who has not enrolled', async () => {
      await expect(sut.replaceRecoveryCodes(PERSON)).rejects.toThrow(TotpEnrolmentNotStarted);
    });
  });

  describe(normaliseRecoveryCode.name, () => {
    it('reads O as 0 and I or L as 1, as Crockford base32 does', () => {
      expect(normaliseRecoveryCode('OIlo-ABCD-EFGH-JKMN')).toBe('0110abcdefghjkmn');
    });

    it.each([
      'abcd-efgh-jk',
      'abcd-efgh-jkmn-pqr',
      'abcd-efgh-jkmn-pqrst',
      'abcd-efgh-jkmn-pqru',
      '',
    ])('rejects %p', (input) => {
      expect(normaliseRecoveryCode(input)).toBeUndefined();
    });

    it.each(['legacy sha-256 hex'])('never matches a hash in an older form (%s)', async () => {
      const code = '0123456789abcdef';
      const legacy = createHash('sha256').update(code).digest('hex');
      expect(await recoveryCodeMatches(code, legacy)).toBe(false);
    });
  });

  it('reports enrolment only once confirmed', async () => {
    expect(await sut.isEnrolled(PERSON)).toBe(false);
    await sut.startEnrolment(PERSON, 'ada@example.org', 'Attest');
    expect(await sut.isEnrolled(PERSON)).toBe(false);
    await enrol();
    expect(await sut.isEnrolled(PERSON)).toBe(true);
  });
});
