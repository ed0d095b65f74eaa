import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a verifier tool; several exit 0 whatever they find, so callers read the text. */
export function tool(command: string, args: string[]): { status: number | null; output: string } {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Writes bytes to a fresh temporary file for a command-line tool. */
export function fileWith(bytes: Buffer | string, name = 'sealed.pdf'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'attest-pdf-')), name);
  writeFileSync(file, bytes);
  return file;
}

/**
 * pdfsig (poppler), qpdf and mutool, as an auditor would run them: each must accept the PDF.
 * pdfsig exits 0 even for an invalid signature in this Debian version, so its text is read.
 */
export function expectIndependentToolsAccept(pdf: Buffer): void {
  const file = fileWith(pdf);
  const pdfsig = tool('pdfsig', [file]).output;
  expect(pdfsig).toContain('Signature is Valid.');
  expect(pdfsig).toContain('Total document signed');
  expect(pdfsig).toContain('Signature Type: ETSI.CAdES.detached');
  expect(pdfsig).toContain('Signing Hash Algorithm: SHA-256');
  const qpdf = tool('qpdf', ['--check', file]);
  expect(qpdf.output).toContain('No syntax or stream encoding errors found');
  expect(qpdf.status).toBe(0);
  expect(tool('mutool', ['sign', '-v', file]).output).toContain(
    'The document is unchanged since signing.',
  );
  expect(tool('mutool', ['info', file]).status).toBe(0);
}

/** The text of a PDF as pdftotext extracts it, with runs of white space made one space. */
export function pdfText(pdf: Buffer): string {
  return tool('pdftotext', [fileWith(pdf), '-']).output.replace(/\s+/g, ' ');
}

/** The bytes of an embedded file, found by name in `pdfdetach -list` and saved by number. */
export function attachedFile(pdf: Buffer, name: string): Buffer | undefined {
  const file = fileWith(pdf);
  const listed = tool('pdfdetach', ['-list', file]).output;
  const number = new RegExp(`^(\\d+): ${name.replace('.', '\\.')}$`, 'm').exec(listed)?.[1];
  if (!number) return undefined;
  const out = join(mkdtempSync(join(tmpdir(), 'attest-detach-')), name);
  if (tool('pdfdetach', ['-save', number, '-o', out, file]).status !== 0) return undefined;
  return readFileSync(out);
}
