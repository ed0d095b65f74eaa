import { withoutCredentials } from './configuration.service';

describe(withoutCredentials.name, () => {
  it('shows a TSA address without the account it may carry', () => {
    expect(withoutCredentials('https://user:s3cret@tsa.example.com/tsr?apikey=abc#x')).toBe(
      'https://tsa.example.com/tsr',
    );
    expect(withoutCredentials('http://127.0.0.1:3180/')).toBe('http://127.0.0.1:3180/');
  });

  it('never echoes something that is not a URL', () => {
    expect(withoutCredentials('token-abc not a url')).toBe('set (not a valid URL)');
  });
});
