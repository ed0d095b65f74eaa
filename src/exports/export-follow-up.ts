import type {
  NotificationHistoryReader,
  PeopleFollowUpCursor,
} from '../notifications/notification-history.reader';
import { EXPORT_MAX_FOLLOW_UP_BYTES, followUpHeaderLine, followUpLine } from './export-manifest';
import { ExportAborted, ExportTooLarge } from './exports.errors';

/** People per query: their ids go over as one JSON array. */
export const FOLLOW_UP_PEOPLE_BATCH = 500;
/** Messages per query, paged by keyset within a batch of people. */
export const FOLLOW_UP_PAGE = 2_000;

const MIB = 1024 * 1024;

export interface FollowUpCsvOptions {
  readonly signal?: AbortSignal;
  /** EXPORT_MAX_FOLLOW_UP_BYTES unless a caller narrows it. */
  readonly maxBytes?: number;
}

/**
 * follow-up.csv for the people of an export: the reminders and escalations that concerned each
 * (SOC 2 CC1.5: follow-up when someone does not sign, evidenced), in (person, queued at,
 * message) order. People go to the database a batch at a time, sorted, so the batches follow
 * each other in that order; within a batch, messages are paged by keyset.
 */
export async function followUpCsv(
  reader: Pick<NotificationHistoryReader, 'followUpOfPeople'>,
  people: Iterable<string>,
  options: FollowUpCsvOptions = {},
): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? EXPORT_MAX_FOLLOW_UP_BYTES;
  // Lowercase UUIDs sort as text the way PostgreSQL sorts them as uuid.
  const sorted = [...new Set(people)].sort();
  const parts = [Buffer.from(followUpHeaderLine(), 'utf8')];
  let bytes = parts[0].length;
  for (let i = 0; i < sorted.length; i += FOLLOW_UP_PEOPLE_BATCH) {
    const batch = sorted.slice(i, i + FOLLOW_UP_PEOPLE_BATCH);
    let after: PeopleFollowUpCursor | undefined;
    for (;;) {
      if (options.signal?.aborted) throw new ExportAborted();
      const page = await reader.followUpOfPeople(batch, FOLLOW_UP_PAGE, after);
      if (page.length === 0) break;
      const lines = Buffer.from(page.map(followUpLine).join(''), 'utf8');
      bytes += lines.length;
      if (bytes > maxBytes) {
        const mib = `${+(maxBytes / MIB).toFixed(1)} MiB`;
        throw new ExportTooLarge(`more than ${mib} of reminder and escalation history`, mib);
      }
      parts.push(lines);
      if (page.length < FOLLOW_UP_PAGE) break;
      after = page[page.length - 1].cursor;
    }
  }
  return Buffer.concat(parts, bytes);
}
