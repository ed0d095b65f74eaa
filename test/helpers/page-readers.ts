import type request from 'supertest';
import { fileWith, tool } from './pdf-tools';

// Reading what a page, a CSV or a PDF says about one row, for tests that compare them.

/** Supertest body parser for a PDF. */
export function binary(res: request.Response, done: (error: Error | null, body: unknown) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Every element whose opening tag holds `marker`, up to its closing tag. */
export function elements(html: string, marker: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const at = html.indexOf(marker, from);
    if (at < 0) return out;
    const open = html.lastIndexOf('<', at);
    const tag = /^<([a-z0-9]+)/i.exec(html.slice(open))![1];
    const close = html.indexOf(`</${tag}>`, at);
    out.push(html.slice(open, close + tag.length + 3));
    from = close;
  }
}

export function attribute(element: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`).exec(element)?.[1];
}

export function textOf(element: string): string {
  return element
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of each cell in the table row that links to `href`. */
export function rowCells(html: string, href: string): string[] {
  const row = elements(html, `href="${href}"`)[0];
  const start = html.lastIndexOf('<tr', html.indexOf(row));
  const tr = html.slice(start, html.indexOf('</tr>', start));
  return [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => textOf(m[1]));
}

export function csvCell(text: string): string {
  return text.includes(',') ? `"${text}"` : text;
}

/**
 * One requirement's row in the summary's table, read from `pdftotext -layout` by the columns
 * of its header line: { requirement, status } with the cell lines joined.
 */
export function summaryRow(
  pdf: Buffer,
  requirement: string,
): { requirement: string; status: string } {
  const lines = tool('pdftotext', ['-layout', fileWith(pdf), '-'])
    .output.replace(/\u00a0/g, ' ')
    .split('\n');
  const header = lines.find((l) => /Requirement\s+Kind\s+Status\s+Due/.test(l))!;
  const at = (name: string) => header.indexOf(name);
  const cell = (line: string, from: string, to: string) => line.slice(at(from), at(to)).trim();
  // A row starts on a line whose kind column is filled.
  const starts = lines
    .map((line, i) => (i > lines.indexOf(header) && cell(line, 'Kind', 'Status') ? i : -1))
    .filter((i) => i >= 0);
  for (const [n, start] of starts.entries()) {
    const block = lines.slice(start, starts[n + 1] ?? start + 4);
    const join = (from: string, to: string) =>
      block
        .map((l) => l.padEnd(header.length).slice(0, at(to)).slice(at(from)).trim())
        .filter(Boolean)
        .join(' ');
    const row = { requirement: join('Requirement', 'Kind'), status: join('Status', 'Due') };
    if (row.requirement.startsWith(requirement)) return row;
  }
  throw new Error(`no row for ${requirement} in the summary`);
}
