import type {
  PeopleFollowUpCursor,
  PersonFollowUpRow,
} from '../notifications/notification-history.reader';
import { NotificationKind, NotificationStatus } from '../notifications/notification-kind';
import { FOLLOW_UP_PAGE, FOLLOW_UP_PEOPLE_BATCH, followUpCsv } from './export-follow-up';
import { FOLLOW_UP_HEADER, followUpLine } from './export-manifest';
import { ExportAborted, ExportTooLarge } from './exports.errors';

const HEADER = `${FOLLOW_UP_HEADER.join(',')}\r\n`;
const personId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const row = (person: string, n: number): PersonFollowUpRow => ({
  personId: person,
  notificationId: `m-${n}`,
  kind: NotificationKind.Tasks,
  recipientEmail: 'p@corp.example',
  recipientRole: 'person',
  status: NotificationStatus.Sent,
  statusReason: null,
  queuedAt: '2026-03-01T09:00:00.000Z',
  sentAt: '2026-03-01T09:01:00.000Z',
  itemCount: 1,
  cursor: { personId: person, at: `at-${n}`, notificationId: `m-${n}` },
});

/** A reader over `count` messages for each person, paging the way the SQL does. */
function readerOver(perPerson: (person: string) => number) {
  const calls: { people: readonly string[]; after?: PeopleFollowUpCursor }[] = [];
  const reader = {
    followUpOfPeople: jest.fn(
      (people: readonly string[], limit: number, after?: PeopleFollowUpCursor) => {
        calls.push({ people, after });
        const all = people.flatMap((p) =>
          Array.from({ length: perPerson(p) }, (_, n) => row(p, n)),
        );
        const start = after
          ? all.findIndex((r) => r.personId === after.personId && r.cursor.at === after.at) + 1
          : 0;
        return Promise.resolve(all.slice(start, start + limit));
      },
    ),
  };
  return { reader, calls };
}

describe(followUpCsv.name, () => {
  it('writes only the header, asking nothing, when the export holds nobody', async () => {
    const { reader } = readerOver(() => 1);
    await expect(followUpCsv(reader, [])).resolves.toEqual(Buffer.from(HEADER));
    expect(reader.followUpOfPeople).not.toHaveBeenCalled();
  });

  it('asks about the people sorted and once each, a batch at a time', async () => {
    const people = Array.from({ length: FOLLOW_UP_PEOPLE_BATCH + 1 }, (_, i) => personId(i));
    const { reader, calls } = readerOver(() => 1);
    const csv = await followUpCsv(reader, [...people].reverse().concat(people[0]));
    expect(calls.map((c) => c.people)).toEqual([
      people.slice(0, FOLLOW_UP_PEOPLE_BATCH),
      people.slice(FOLLOW_UP_PEOPLE_BATCH),
    ]);
    const lines = csv.toString('utf8').split('\r\n');
    expect(lines).toHaveLength(1 + people.length + 1);
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(people);
  });

  it('pages a batch by keyset when it holds more messages than one query returns', async () => {
    const { reader, calls } = readerOver(() => FOLLOW_UP_PAGE + 5);
    const csv = await followUpCsv(reader, [personId(1)]);
    expect(calls.map((c) => c.after)).toEqual([
      undefined,
      row(personId(1), FOLLOW_UP_PAGE - 1).cursor,
    ]);
    expect(csv.toString('utf8').split('\r\n')).toHaveLength(1 + FOLLOW_UP_PAGE + 5 + 1);
  });

  it('stops, naming how to narrow it, past the most history one export holds', async () => {
    const { reader } = readerOver(() => 10);
    const people = [personId(1), personId(2)];
    const whole = HEADER.length + 20 * Buffer.byteLength(followUpLine(row(personId(1), 0)));
    await expect(followUpCsv(reader, people, { maxBytes: whole })).resolves.toHaveLength(whole);
    const refused = followUpCsv(reader, people, { maxBytes: whole - 1 });
    await expect(refused).rejects.toThrow(ExportTooLarge);
    await expect(refused).rejects.toThrow(
      /^These filters select more than [\d.]+ MiB of reminder and escalation history; .* a department or a control/,
    );
  });

  it('stops between queries when the export is aborted', async () => {
    const { reader } = readerOver(() => 1);
    const controller = new AbortController();
    controller.abort();
    await expect(followUpCsv(reader, [personId(1)], { signal: controller.signal })).rejects.toThrow(
      ExportAborted,
    );
  });
});
