import { newFormView, withInput } from './background-check-form.view';

const person = {
  id: '5b0c3f0e-7a1c-4d4e-9f1e-2f9b8c1d0a11',
  fullName: 'Dora Designer',
  country: 'DE',
};

describe(withInput.name, () => {
  it('keeps what was typed and says each problem in words, once, in form order', () => {
    const sut = withInput(
      newFormView('token', person, true),
      { type: 'education', status: 'waived', jurisdiction: 'Germany', providerName: 'Sterling' },
      [
        { path: 'waiverReason', message: 'Give the reason for the waiver: auditors will read it.' },
        { path: 'jurisdiction', message: 'Invalid string: must match pattern' },
        { path: 'jurisdiction', message: 'another problem with the same field' },
      ],
    );
    expect(sut.values.jurisdiction).toBe('Germany');
    expect(sut.values.providerName).toBe('Sterling');
    expect(sut.types.find((t) => t.selected)?.value).toBe('education');
    expect(sut.statuses.find((s) => s.selected)?.value).toBe('waived');
    expect(sut.errors.map((e) => e.href)).toEqual(['#check-jurisdiction', '#check-waiver-reason']);
    expect(sut.fieldErrors.jurisdiction).toMatch(/^Enter a country code/);
    expect(sut.fieldErrors.waiverReason).toBe(
      'Give the reason for the waiver: auditors will read it.',
    );
  });
});

describe(newFormView.name, () => {
  it('offers the waived status and its reason only to a viewer who may waive', () => {
    expect(newFormView('t', person, true).statuses.map((s) => s.value)).toContain('waived');
    const sut = newFormView('t', person, false);
    expect(sut.statuses.map((s) => s.value)).not.toContain('waived');
    expect(sut.canWaive).toBe(false);
  });

  it('names statuses and types in words', () => {
    const sut = newFormView('t', person, true);
    expect(sut.statuses.find((s) => s.value === 'consider')?.label).toBe('Needs review');
    expect(sut.types.find((s) => s.value === 'criminal_record')?.label).toBe('Criminal record');
  });
});
