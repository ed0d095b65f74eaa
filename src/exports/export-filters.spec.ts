import { RequirementKind } from '../requirements/requirement-rule';
import { describeFilters, NO_FILTERS, parseExportFilters, selectionFor } from './export-filters';
import { ExportFiltersInvalid } from './exports.errors';

describe(parseExportFilters.name, () => {
  it('reads empty fields as no filter', () => {
    expect(parseExportFilters({ from: '', to: ' ', department: '', control: undefined })).toEqual(
      NO_FILTERS,
    );
  });

  it('keeps real dates, a trimmed department and a control id', () => {
    expect(
      parseExportFilters({
        from: '2026-01-01',
        to: '2026-03-31',
        department: '  Finance ',
        control: 'iso27001-a.6.6',
      }),
    ).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      department: 'Finance',
      control: 'iso27001-a.6.6',
    });
  });

  it.each([
    ['a date that does not exist', { from: '2026-02-30' }, /"From" must be a date/],
    ['a date in another format', { to: '31/03/2026' }, /"To" must be a date/],
    ['a period that runs backwards', { from: '2026-04-01', to: '2026-03-31' }, /on or before/],
    ['a department that is not text', { department: ['Finance'] }, /department is text/],
    ['a very long department', { department: 'x'.repeat(101) }, /at most 100/],
    ['a control id with odd characters', { control: 'soc2 cc1.1; drop' }, /Choose a control/],
  ])('refuses %s, saying what to type', (_label, input, message) => {
    expect(() => parseExportFilters(input)).toThrow(ExportFiltersInvalid);
    expect(() => parseExportFilters(input)).toThrow(message);
  });
});

describe(selectionFor.name, () => {
  it('turns a period of days into instants: from midnight UTC to midnight after the last day', () => {
    const sut = selectionFor({ ...NO_FILTERS, from: '2026-01-01', to: '2026-01-31' }, null);
    expect(sut.signedFrom?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(sut.signedBefore?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(sut.subjects).toBeNull();
  });

  it('maps a control to signed documents and passed modules, and drops background checks', () => {
    const sut = selectionFor({ ...NO_FILTERS, control: 'soc2-cc1.4' }, [
      { kind: RequirementKind.BackgroundCheck, subject: 'criminal_record' },
      { kind: RequirementKind.Document, subject: 'nda' },
      { kind: RequirementKind.Training, subject: 'training-phishing' },
    ]);
    expect(sut.subjects).toEqual([
      { kind: 'signature', documentId: 'nda' },
      { kind: 'training', documentId: 'training-phishing' },
    ]);
  });

  it('selects nothing for a control evidenced by screening alone', () => {
    const sut = selectionFor({ ...NO_FILTERS, control: 'iso27001-a.6.1' }, [
      { kind: RequirementKind.BackgroundCheck, subject: 'criminal_record' },
    ]);
    expect(sut.subjects).toEqual([]);
  });
});

describe(describeFilters.name, () => {
  it('says what an export holds in one line', () => {
    expect(describeFilters(NO_FILTERS)).toBe('every attestation');
    expect(
      describeFilters({ from: '2026-01-01', to: null, department: 'Sales', control: 'soc2-cc1.1' }),
    ).toBe('signed 2026-01-01 to today, department Sales, control soc2-cc1.1');
  });
});
