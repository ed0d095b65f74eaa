import { controlCharacterInBody, controlCharacterInQuery } from './control-characters';

describe('control characters', () => {
  it.each([
    [{ department: 'Sales\u0000' }, 'department', 'U+0000'],
    [{ q: ['ok', 'bad\u001b'] }, 'q[1]', 'U+001B'],
    [{ name: 'x\u007f' }, 'name', 'U+007F'],
    [{ name: 'x\u0085' }, 'name', 'U+0085'],
    [{ filter: 'a\tb' }, 'filter', 'U+0009'],
  ])('finds one in a query %j', (query, field, codePoint) => {
    expect(controlCharacterInQuery(query)).toEqual({ field, codePoint });
  });

  it('names the path inside a JSON body', () => {
    expect(controlCharacterInBody({ members: [{ value: 'a' }, { value: 'b\u0000' }] })).toEqual({
      field: 'members[1].value',
      codePoint: 'U+0000',
    });
  });

  it('refuses one in a field name too', () => {
    expect(controlCharacterInBody({ 'a\u0000b': 'x' })).toEqual({
      field: 'a?b',
      codePoint: 'U+0000',
    });
  });

  it('lets a body keep the tabs and line breaks of a text area', () => {
    expect(controlCharacterInBody({ notes: 'one\r\n\ttwo' })).toBeUndefined();
  });

  it('passes ordinary text in any script, numbers and empty values', () => {
    expect(
      controlCharacterInQuery({ name: 'Zoë Ørsted-Łukasiewicz', city: '東京', n: 3, e: '' }),
    ).toBeUndefined();
  });
});
