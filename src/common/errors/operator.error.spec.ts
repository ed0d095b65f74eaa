import { describeFailure, maskCredentials, OperatorError } from './operator.error';

describe(maskCredentials.name, () => {
  it.each([
    ['postgres://attest:s3cret@db:5432/attest', 'postgres://attest:***@db:5432/attest'],
    ['connect to postgresql://u:p%40ss@h/d failed', 'connect to postgresql://u:***@h/d failed'],
    ['postgres://attest@db/attest', 'postgres://attest@db/attest'],
  ])('hides the password in %s', (input, expected) => {
    expect(maskCredentials(input)).toBe(expected);
  });
});

describe(describeFailure.name, () => {
  it('prints an operator error as its message alone', () => {
    expect(describeFailure(new OperatorError('Run attest migrate.'))).toBe('Run attest migrate.');
  });

  it('masks credentials in unexpected errors', () => {
    const message = describeFailure(new Error('no route to postgres://a:hunter2@db/x'));
    expect(message).toContain('Attest failed to start.');
    expect(message).not.toContain('hunter2');
  });
});
