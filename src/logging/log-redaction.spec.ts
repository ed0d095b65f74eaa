import { pathOnly, serializeError } from './log-redaction';

describe(pathOnly.name, () => {
  it.each([
    ['/people?email=jane@example.com', '/people'],
    ['/me#tasks', '/me'],
    ['/healthz', '/healthz'],
    [undefined, ''],
  ])('keeps only the path of %s', (url, expected) => {
    expect(pathOnly(url)).toBe(expected);
  });
});

describe(serializeError.name, () => {
  it('keeps the type and the stack frames but not the message', () => {
    const logged = serializeError(new TypeError('Key (email)=(jane@example.com) already exists'));
    expect(logged.type).toBe('TypeError');
    expect(logged.stack).toContain('log-redaction.spec');
    expect(JSON.stringify(logged)).not.toContain('jane@example.com');
  });

  it('reads an error already flattened by pino-http, dropping message and extra fields', () => {
    const flattened = {
      type: 'QueryFailedError',
      message: 'duplicate jane@example.com',
      detail: 'Key (email)=(jane@example.com)',
      stack:
        'QueryFailedError: duplicate jane@example.com\n  line two jane@example.com\n    at run (db.ts:1:1)',
    };
    expect(serializeError(flattened)).toEqual({
      type: 'QueryFailedError',
      stack: '    at run (db.ts:1:1)',
    });
  });
});
