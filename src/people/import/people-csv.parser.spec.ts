import { peopleCsv, personRow } from '../../../test/factories/people-csv.factory';
import { PERSON_COLUMNS } from '../person-fields';
import { MAX_FILE_BYTES, parsePeopleCsv } from './people-csv.parser';

const columnsWithout = (...left: string[]) => PERSON_COLUMNS.filter((c) => !left.includes(c));

describe(parsePeopleCsv.name, () => {
  const sut = parsePeopleCsv;

  it('reads every row of a valid file, with its line number', () => {
    const rows = [personRow(), personRow({ country: 'IN', region: '' })];
    const { rows: parsed, errors } = sut(peopleCsv(rows));
    expect(errors).toEqual([]);
    expect(parsed.map((r) => [r.line, r.fields.email])).toEqual([
      [2, rows[0].email],
      [3, rows[1].email],
    ]);
  });

  it('takes the columns in any order, with a BOM and CRLF line ends', () => {
    const row = personRow({ full_name: 'Zoë Ångström' });
    const columns = [...PERSON_COLUMNS].reverse();
    const file = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      peopleCsv([row], columns, '\r\n'),
    ]);
    const { rows, errors } = sut(file);
    expect(errors).toEqual([]);
    expect(rows[0].fields).toMatchObject({ fullName: 'Zoë Ångström', email: row.email });
  });

  it('lets a file leave out the optional columns', () => {
    const { rows, errors } = sut(
      peopleCsv([personRow()], columnsWithout('manager_email', 'region', 'end_date')),
    );
    expect(errors).toEqual([]);
    expect(rows[0].fields.managerEmail).toBeUndefined();
  });

  it('counts lines across quoted line breaks and empty lines', () => {
    const multi = personRow({ job_title: 'Engineer,\r\nPlatform' });
    const file = Buffer.from(
      `${peopleCsv([multi], PERSON_COLUMNS, '\r\n').toString()}\r\n${
        peopleCsv([personRow({ country: 'ZZ' })])
          .toString()
          .split('\n')[1]
      }\n`,
    );
    const { errors } = sut(file);
    // header 1, quoted row 2–3 (a line break is no part of a job title), empty 4, bad row 5
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'job_title'],
      [5, 'country'],
    ]);
  });

  it.each<
    [string, () => Buffer, Array<{ line: number | null; column: string | null; message: RegExp }>]
  >([
    ['an empty file', () => Buffer.alloc(0), [{ line: 1, column: null, message: /empty/ }]],
    [
      'a file over 5 MB',
      () => Buffer.alloc(MAX_FILE_BYTES + 1, 'a'),
      [{ line: null, column: null, message: /larger than 5 MB/ }],
    ],
    [
      'binary data (a NUL byte)',
      () => Buffer.concat([peopleCsv([personRow()]), Buffer.from([0x00, 0x01])]),
      [{ line: 3, column: null, message: /binary data/ }],
    ],
    [
      'text that is not UTF-8',
      () => Buffer.concat([peopleCsv([personRow()]), Buffer.from('M\xfcller,x\n', 'latin1')]),
      [{ line: 3, column: null, message: /not valid UTF-8/ }],
    ],
    [
      'an unknown column',
      () => peopleCsv([personRow()], [...PERSON_COLUMNS, 'salary']),
      [{ line: 1, column: 'salary', message: /Unknown column "salary". The columns are: email,/ }],
    ],
    [
      'missing required columns',
      () => peopleCsv([personRow()], columnsWithout('country', 'status')),
      [{ line: 1, column: null, message: /lacks required columns: country, status/ }],
    ],
    [
      'a column twice',
      () => peopleCsv([personRow()], [...PERSON_COLUMNS, 'email']),
      [{ line: 1, column: 'email', message: /appears twice/ }],
    ],
    [
      'a header with an unnamed column',
      () => peopleCsv([personRow()], [...PERSON_COLUMNS, '']),
      [{ line: 1, column: null, message: /Column 13 has no name/ }],
    ],
    [
      'a row with too many values',
      () =>
        Buffer.from(
          `${peopleCsv([personRow()]).toString()}${Object.values(personRow()).join(',')},extra\n`,
        ),
      [{ line: 3, column: null, message: /13 values but the header has 12/ }],
    ],
    [
      'a broken quote',
      () => Buffer.from(`${PERSON_COLUMNS.join(',')}\n"a"b,c\n`),
      [
        { line: 2, column: null, message: /Invalid Closing Quote/ },
        { line: 2, column: null, message: /Quote Not Closed/ },
      ],
    ],
    [
      'the same email twice',
      () =>
        peopleCsv([personRow({ email: 'a@corp.example' }), personRow({ email: 'A@corp.example' })]),
      [{ line: 3, column: 'email', message: /"a@corp.example" is already on line 2/ }],
    ],
    [
      'the same employee number twice',
      () => peopleCsv([personRow({ employee_number: 'E1' }), personRow({ employee_number: 'E1' })]),
      [{ line: 3, column: 'employee_number', message: /already on line 2/ }],
    ],
  ])('refuses %s', (_case, file, expected) => {
    const { rows, errors } = sut(file());
    expect(rows).toEqual([]);
    expect(errors).toEqual(
      expected.map((e) => ({
        line: e.line,
        column: e.column,
        message: expect.stringMatching(e.message),
      })),
    );
  });

  it('lists every problem in every row, in line order, and returns no rows', () => {
    const file = peopleCsv([
      personRow(),
      personRow({ country: 'XX', start_date: '2026-02-30' }),
      personRow(),
      personRow({ status: 'gone' }),
    ]);
    const { rows, errors } = sut(file);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'country'],
      [3, 'start_date'],
      [5, 'status'],
    ]);
  });
});
