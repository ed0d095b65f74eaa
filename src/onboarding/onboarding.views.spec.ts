import { filterView, keyText, query } from './onboarding.views';

describe(filterView.name, () => {
  const data = {
    departments: ['Design', 'Engineering'],
    countries: ['DE', 'US'],
    startMonths: ['2026-03', '2026-02'],
  };

  it('selects the choice the filter names, whatever its case', () => {
    const sut = filterView({ department: 'engineering', startMonth: '2026-02' }, data);
    expect(sut.departments.filter((d) => d.selected).map((d) => d.value)).toEqual(['Engineering']);
    expect(sut.startMonths.find((m) => m.selected)?.label).toBe('Feb 2026');
    expect(sut.countries.find((c) => c.value === 'DE')?.label).toBe('Germany (DE)');
    expect(sut.active).toBe(true);
  });

  it('is inactive without filters', () => {
    expect(filterView({}, data).active).toBe(false);
  });
});

describe(keyText.name, () => {
  it('reads group keys as words', () => {
    expect(keyText('start_month', '2026-11')).toBe('Nov 2026');
    expect(keyText('department', '(none)')).toBe('Not recorded');
  });
});

describe(query.name, () => {
  it('drops empty values', () => {
    expect(query({ onboarding: 'open', department: undefined, country: '' })).toBe(
      'onboarding=open',
    );
  });
});
