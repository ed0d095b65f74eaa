import { sqlArray } from './sql-array';

describe('sqlArray', () => {
  it('writes each value as one double-quoted element', () => {
    expect(sqlArray(['4c93ec91-f9d8-4b0f-9aca-0303da77dcca', 'b'])).toBe(
      '{"4c93ec91-f9d8-4b0f-9aca-0303da77dcca","b"}',
    );
  });

  it('writes an empty list as an empty array', () => {
    expect(sqlArray([])).toBe('{}');
  });

  it('escapes quotes and backslashes, so a value cannot end its element', () => {
    expect(sqlArray(['a"},{"b', 'c\\'])).toBe('{"a\\"},{\\"b","c\\\\"}');
  });
});
