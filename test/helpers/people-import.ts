import request from 'supertest';
import type { App } from 'supertest/types';
import { csrfTokenIn, unescapeHtml } from './html-forms';

/** Uploads a people CSV as HR does: the import form first (for its CSRF token), then the file. */
export async function uploadPeopleCsv(server: App, cookies: string[], file: Buffer) {
  const page = await request(server).get('/people/import').set('Cookie', cookies).expect(200);
  return request(server)
    .post('/people/import')
    .set('Cookie', cookies)
    .set('Accept', 'text/html')
    .field('_csrf', csrfTokenIn(page.text))
    .attach('file', file, { filename: 'people.csv', contentType: 'text/csv' });
}

/** The rows of the import result's problem table, as [line, column, message]. */
export function importProblems(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
    [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, cell]) => unescapeHtml(cell)),
  );
}
