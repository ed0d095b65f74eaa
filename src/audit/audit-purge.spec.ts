import { auditChain } from '../../test/factories/audit-chain.factory';
import { fromRanges, keptFieldsDigest, toRanges } from './audit-purge';

describe(toRanges.name, () => {
  it('writes seqs as ascending ranges, and reads them back', () => {
    const seqs = [9n, 1n, 2n, 3n, 12n, 13n, 14n, 5n];
    expect(toRanges(seqs)).toBe('1-3,5,9,12-14');
    expect(fromRanges('1-3,5,9,12-14')).toEqual([1n, 2n, 3n, 5n, 9n, 12n, 13n, 14n]);
    expect(toRanges([])).toBe('');
    expect(fromRanges('')).toEqual([]);
  });

  it.each(['3-1', '1,1', '5,2', 'a', '1-', '1-2-3', ' 1'])('refuses %j', (text) => {
    expect(fromRanges(text)).toBeNull();
  });

  it('refuses more values than the limit', () => {
    expect(fromRanges('1-1000000', 1000)).toBeNull();
  });
});

describe(keptFieldsDigest.name, () => {
  it('covers what a purge keeps, whatever the order, and not the payload', () => {
    const [a, b] = auditChain([1, 2]);
    const digest = keptFieldsDigest([a, b]);
    expect(keptFieldsDigest([b, a])).toBe(digest);
    expect(keptFieldsDigest([{ ...a, details: {}, ip: null, userAgent: null }, b])).toBe(digest);
    expect(keptFieldsDigest([{ ...a, action: 'auth.login' }, b])).not.toBe(digest);
    expect(keptFieldsDigest([{ ...a, subjectId: 'someone-else' }, b])).not.toBe(digest);
  });
});
