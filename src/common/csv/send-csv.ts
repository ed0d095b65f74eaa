import type { Response } from 'express';

/** Answers with a CSV download named `<name>.csv`. */
export function sendCsv(res: Response, name: string, body: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  res.send(body);
}
