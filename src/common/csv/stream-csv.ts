import type { Response } from 'express';
import { csvCell } from './csv';

export type CsvRows = readonly (readonly unknown[])[];

const line = (row: readonly unknown[]) => `${row.map(csvCell).join(',')}\r\n`;

/**
 * Answers with a CSV download written a page at a time, so memory stays flat however many
 * rows there are; waits whenever the client reads slower than the database answers. Once the
 * first bytes are out an error can no longer become an error page: the connection is cut, so
 * the download visibly fails rather than looking complete.
 */
export async function streamCsv(
  res: Response,
  name: string,
  header: readonly string[],
  pages: AsyncIterable<CsvRows>,
): Promise<void> {
  const iterator = pages[Symbol.asyncIterator]();
  // The first page is read before answering, so an error there is still a proper error page.
  let next = await iterator.next();
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  try {
    res.write(line(header));
    while (!next.done) {
      if (!res.write(next.value.map(line).join(''))) await drained(res);
      // The client went away: stop reading the database for nobody.
      if (res.destroyed) {
        await iterator.return?.();
        return;
      }
      next = await iterator.next();
    }
    res.end();
  } catch (error) {
    res.destroy();
    throw error;
  }
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
