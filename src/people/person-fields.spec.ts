import { personRow } from '../../test/factories/people-csv.factory';
import { countryName, isIsoDate, type PersonColumn, validatePersonFields } from './person-fields';
import { EmploymentType, PersonStatus } from './person.entity';

describe(validatePersonFields.name, () => {
  const sut = validatePersonFields;

  it('accepts a valid row and normalises emails and the country code', () => {
    const { fields, errors } = sut(
      personRow({
        email: ' Ana.Lima@Corp.Example ',
        manager_email: 'Boss@Corp.Example',
        country: 'de',
        region: '',
        end_date: '2026-12-31',
        employment_type: 'contractor',
        status: 'pre_start',
      }),
    );
    expect(errors).toEqual([]);
    expect(fields).toMatchObject({
      email: 'ana.lima@corp.example',
      managerEmail: 'boss@corp.example',
      country: 'DE',
      region: null,
      endDate: '2026-12-31',
      employmentType: EmploymentType.Contractor,
      status: PersonStatus.PreStart,
    });
  });

  it('leaves out optional columns a file does not have (undefined), clears empty ones (null)', () => {
    const row: Partial<Record<PersonColumn, string>> = personRow({ region: '' });
    delete row.manager_email;
    delete row.end_date;
    const { fields } = sut(row);
    expect(fields?.managerEmail).toBeUndefined();
    expect(fields?.endDate).toBeUndefined();
    expect(fields?.region).toBeNull();
  });

  it.each<[string, Partial<Record<PersonColumn, string>>, PersonColumn, RegExp]>([
    ['a missing email', { email: '' }, 'email', /must not be empty/],
    ['a malformed email', { email: 'ana.lima@corp' }, 'email', /not an email address/],
    ['an email with a space', { email: 'ana lima@corp.example' }, 'email', /not an email/],
    [
      'an email with a zero-width space',
      { email: 'ana.lima@corp.example\u200b' },
      'email',
      /invisible character \(U\+200B\)/,
    ],
    [
      'a manager email with a byte order mark',
      { manager_email: 'boss\ufeff@corp.example' },
      'manager_email',
      /invisible character \(U\+FEFF\)/,
    ],
    [
      'an email over 320 characters',
      { email: `${'a'.repeat(320)}@x.example` },
      'email',
      /at most 320/,
    ],
    ['an empty full_name', { full_name: '  ' }, 'full_name', /must not be empty/],
    ['a tab in full_name', { full_name: 'Ana\tLima' }, 'full_name', /control character/],
    ['a long full_name', { full_name: 'x'.repeat(201) }, 'full_name', /at most 200/],
    ['an empty employee_number', { employee_number: '' }, 'employee_number', /must not be empty/],
    [
      'a space in employee_number',
      { employee_number: 'E 1' },
      'employee_number',
      /letters, digits/,
    ],
    ['an empty department', { department: '' }, 'department', /must not be empty/],
    ['an empty job_title', { job_title: '' }, 'job_title', /must not be empty/],
    ['a malformed manager_email', { manager_email: 'boss' }, 'manager_email', /not an email/],
    [
      'being one’s own manager',
      { email: 'a@corp.example', manager_email: 'A@corp.example' },
      'manager_email',
      /own manager/,
    ],
    [
      'an unknown employment_type',
      { employment_type: 'intern' },
      'employment_type',
      /Use one of: employee, contractor/,
    ],
    ['an empty country', { country: '' }, 'country', /must not be empty/],
    ['an unknown country', { country: 'XX' }, 'country', /not an ISO 3166-1/],
    ['a three-letter country', { country: 'USA' }, 'country', /not an ISO 3166-1/],
    ['UK for the United Kingdom', { country: 'UK' }, 'country', /United Kingdom is GB/],
    ['the EU', { country: 'EU' }, 'country', /not an ISO 3166-1/],
    ['a long region', { region: 'r'.repeat(101) }, 'region', /at most 100/],
    ['an empty start_date', { start_date: '' }, 'start_date', /must not be empty/],
    ['a day that does not exist', { start_date: '2026-02-30' }, 'start_date', /YYYY-MM-DD/],
    ['a date written the US way', { start_date: '03/01/2026' }, 'start_date', /YYYY-MM-DD/],
    ['a malformed end_date', { end_date: '2026-13-01' }, 'end_date', /YYYY-MM-DD/],
    [
      'an end before the start',
      { start_date: '2026-03-01', end_date: '2026-02-28' },
      'end_date',
      /before start_date/,
    ],
    [
      'an unknown status',
      { status: 'retired' },
      'status',
      /Use one of: pre_start, active, on_leave, terminated/,
    ],
    ['"on leave" for on_leave', { status: 'on leave' }, 'status', /Write "on_leave"/],
    ['"pre-start" for pre_start', { status: 'pre-start' }, 'status', /Write "pre_start"/],
  ])('refuses %s', (_case, overrides, column, message) => {
    const { fields, errors } = sut(personRow(overrides));
    expect(fields).toBeUndefined();
    expect(errors).toEqual([{ column, message: expect.stringMatching(message) }]);
  });

  it('requires every required column and reports all of them', () => {
    const { errors } = sut({ email: 'a@corp.example' });
    expect(errors.map((e) => e.column)).toEqual([
      'full_name',
      'employee_number',
      'department',
      'job_title',
      'employment_type',
      'country',
      'start_date',
      'status',
    ]);
    expect(errors.every((e) => e.message === 'is required.')).toBe(true);
  });
});

describe(countryName.name, () => {
  it.each([
    ['US', 'United States'],
    ['GB', 'United Kingdom'],
    ['XK', 'Kosovo'],
    ['EU', undefined],
    ['UN', undefined],
    ['EZ', undefined],
    ['QO', undefined],
    ['ZZ', undefined],
    ['us', undefined],
  ])('%s → %s', (code, name) => {
    expect(countryName(code)).toBe(name);
  });
});

describe(isIsoDate.name, () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-04-31', false],
    ['2026-1-05', false],
    ['1899-12-31', false],
  ])('%s → %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });
});
