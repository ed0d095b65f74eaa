import { parseNotificationPolicy } from '../requirements/requirements-file.loader';
import { RequirementsFileInvalid } from '../requirements/requirements.errors';
import { NOTIFICATION_DEFAULTS } from './notification-policy';

const FILE = 'requirements.yml';
const withSection = (section: string) => `version: 1\nrequirements: []\n${section}`;

function problems(text: string): string[] {
  try {
    parseNotificationPolicy(text, FILE);
  } catch (error) {
    if (error instanceof RequirementsFileInvalid) return error.message.split('\n').slice(1);
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('the notifications: section', () => {
  it('falls back to the shipped defaults when absent', () => {
    expect(parseNotificationPolicy(withSection(''), FILE)).toEqual(NOTIFICATION_DEFAULTS);
  });

  it('reads every setting, and `false` turns an escalation or digest off', () => {
    const policy = parseNotificationPolicy(
      withSection(`notifications:
  assigned: false
  reminders: { days_before_due: [1, 7, 7], on_due_day: false, every_days_overdue: 5, at_most: 2 }
  escalation: { manager_after_days_overdue: false, hr_after_days_overdue: 10, hr_address: People@Example.com }
  working_hours: { days: [mon, tue], from: "08:30", to: "16:00", default_time_zone: Europe/Paris }
  digests: { hr_weekly_on: false, manager_weekly_on: tue }
`),
      FILE,
    );
    expect(policy).toMatchObject({
      assigned: false,
      reminders: { daysBeforeDue: [7, 1], onDueDay: false, everyDaysOverdue: 5, atMost: 2 },
      escalation: {
        managerAfterDaysOverdue: undefined,
        hrAfterDaysOverdue: 10,
        hrAddress: 'people@example.com',
      },
      workingHours: { days: ['mon', 'tue'], from: 510, to: 960, defaultTimeZone: 'Europe/Paris' },
      digests: { hrWeeklyOn: undefined, managerWeeklyOn: 'tue' },
    });
  });

  it.each([
    [
      'an unknown key',
      'notifications:\n  reminder: {}\n',
      /line 4, column 3: .*reminder.* is not a known key/,
    ],
    [
      'a time zone that does not exist',
      'notifications:\n  working_hours: { default_time_zone: Mars/Olympus }\n',
      /line 4.*must be an IANA time zone/,
    ],
    [
      'hours that end before they start',
      'notifications:\n  working_hours: { from: "17:00", to: "09:00" }\n',
      /line 4.*`to` must be later than `from`/,
    ],
    [
      'HR told before the manager',
      'notifications:\n  escalation: { manager_after_days_overdue: 10, hr_after_days_overdue: 5 }\n',
      /HR hears after the manager/,
    ],
    [
      'a time without quotes that YAML reads as a number',
      'notifications:\n  working_hours: { from: 9 }\n',
      /line 4.*must be a time such as "09:00"/,
    ],
    [
      'a weekday misspelt',
      'notifications:\n  working_hours: { days: [monday] }\n',
      /must be one of mon, tue/,
    ],
  ])('refuses %s, naming the line', (_case, section, message) => {
    expect(problems(withSection(section)).join('\n')).toMatch(message);
  });
});
