import { dueIn, dueText, humanDate, humanInstant, label, plural } from './labels';

describe('labels', () => {
  it.each([
    ['not_started', 'Not started'],
    ['criminal_record', 'Criminal record'],
    ['education_verification', 'Education'],
    ['consider', 'Needs review'],
    ['acceptable-use-policy', 'Acceptable use policy'],
    ['', ''],
  ])('names %p as %p', (code, words) => {
    expect(label(code)).toBe(words);
  });

  it('counts with the right plural', () => {
    expect(plural(1, 'check')).toBe('1 check');
    expect(plural(9, 'problem')).toBe('9 problems');
    expect(plural(0, 'person', 'people')).toBe('0 people');
    expect(plural(12_000, 'person', 'people')).toBe('12,000 people');
  });

  it('writes dates as people read them, without a zone shift', () => {
    expect(humanDate('2026-12-20')).toBe('20 Dec 2026');
    expect(humanDate('2027-01-01')).toBe('1 Jan 2027');
    expect(humanInstant(new Date('2026-12-06T19:50:27.878Z'))).toBe('6 Dec 2026, 19:50 UTC');
  });

  it.each([
    ['2026-12-06', 'due today'],
    ['2026-12-07', 'due tomorrow'],
    ['2026-12-11', 'due in 5 days'],
    ['2026-12-05', '1 day overdue'],
    ['2026-11-06', '30 days overdue'],
  ])('says a due date of %s is %p on 6 Dec 2026', (due, words) => {
    expect(dueIn(due, '2026-12-06')).toBe(words);
  });

  it('gives the distance and the date together', () => {
    expect(dueText('2026-12-20', '2026-12-15')).toBe('due in 5 days, 20 Dec 2026');
  });
});
