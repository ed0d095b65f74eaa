import { problemsOf } from './input-problems';
import { ProviderEventSchema } from './provider-event.dto';

describe('ProviderEventSchema', () => {
  const valid = {
    providerName: 'acme',
    providerReference: 'ref-1',
    personEmail: 'Someone@Example.test',
    type: 'criminal_record',
    jurisdiction: 'us-ca',
    status: 'in_progress',
    occurredAt: '2026-06-15T12:00:00Z',
  };

  it('accepts a valid event and normalises email and jurisdiction', () => {
    const sut = ProviderEventSchema.parse(valid);
    expect(sut.personEmail).toBe('someone@example.test');
    expect(sut.jurisdiction).toBe('US-CA');
  });

  it('lists every problem at once, including the cross-field rule', () => {
    const result = ProviderEventSchema.safeParse({
      providerName: '',
      type: 'horoscope',
      jurisdiction: 'California',
      status: 'waived',
      occurredAt: 'yesterday',
      surprise: true,
    });
    expect(result.success).toBe(false);
    const paths = problemsOf(result.error!).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'providerName',
        'providerReference',
        'type',
        'jurisdiction',
        'status',
        'occurredAt',
        'personEmail',
      ]),
    );
    expect(JSON.stringify(problemsOf(result.error!))).toContain('surprise');
  });
});
