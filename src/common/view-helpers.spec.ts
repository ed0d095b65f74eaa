import hbs from 'hbs';
import { registerViewHelpers } from './view-helpers';

describe(registerViewHelpers.name, () => {
  const handlebars = hbs.handlebars;
  beforeAll(() => registerViewHelpers(hbs));

  it('gives words for codes, dates and counts', () => {
    const render = handlebars.compile(
      '{{label status}} · {{humanDate due}} · {{humanInstant at}} · {{plural n "check"}}',
    );
    expect(
      render({
        status: 'not_started',
        due: '2026-12-20',
        at: new Date('2026-12-06T19:50:00Z'),
        n: 2,
      }),
    ).toBe('Not started · 20 Dec 2026 · 6 Dec 2026, 19:50 UTC · 2 checks');
  });

  it('leaves a context property of the same name as it is when used bare', () => {
    const render = handlebars.compile('{{#each links}}<a>{{label}}</a>{{/each}}');
    expect(render({ links: [{ label: 'My tasks' }, { label: 'A & B' }] })).toBe(
      '<a>My tasks</a><a>A &amp; B</a>',
    );
  });
});
