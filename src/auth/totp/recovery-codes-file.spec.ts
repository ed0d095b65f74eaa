import { recoveryCodesDataUrl, recoveryCodesText } from './recovery-codes-file';

describe(recoveryCodesDataUrl.name, () => {
  const codes = ['abcd-efgh-ijkl', 'mnop-qrst-uvwx'];
  const at = new Date('2026-12-07T10:00:00Z');

  it('holds every code, one a line, after a line saying what they are', () => {
    const text = recoveryCodesText(codes, at);
    expect(text.split('\r\n')).toEqual(expect.arrayContaining(codes));
    expect(text).toMatch(/^Attest recovery codes\r\nMade 2026-12-07\./);
  });

  it('is a plain-text data URL that decodes to exactly that text', () => {
    const url = recoveryCodesDataUrl(codes, at);
    expect(url.startsWith('data:text/plain;charset=utf-8,')).toBe(true);
    expect(url).not.toMatch(/[\s"<>]/);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(recoveryCodesText(codes, at));
  });
});
