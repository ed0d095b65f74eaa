/*
 * Attestation PDF rendering: renders per second for a 3-page policy attestation (document
 * pages, attestation page, audit trail, evidence.json), beside a same-run baseline: a plain
 * pdf-lib document with the same number of pages and characters drawn in a standard font
 * (Helvetica, nothing embedded or subset). Both are saved once, as the sealer does.
 *
 *   npm run bench:render                      # 300 documents each
 *   BENCH_RENDERS=1000 npm run bench:render
 *
 * "sequential" awaits each document before starting the next; "8 in flight" keeps eight
 * going, as concurrent requests would. CPU time per document is printed too: on a shared
 * machine it is steadier than wall time. This is a benchmark, not a test: it prints figures
 * and asserts nothing about time.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { AttestationPdfRenderer } from '../src/attestations/pdf/attestation-pdf.renderer';
import { evidenceJson } from '../src/attestations/pdf/evidence-json';
import { attestationPdfInput } from '../test/factories/attestation-pdf.factory';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 300);
const SAVE = { objectsPerTick: Infinity } as const;

const sut = new AttestationPdfRenderer();
const input = attestationPdfInput();

async function attestation(): Promise<number> {
  const doc = await sut.renderAttestation(input);
  return (await doc.save(SAVE)).length;
}

async function renderOnly(): Promise<number> {
  const doc = await sut.renderAttestation(input);
  return doc.getPageCount();
}

let baselineText: { pages: number; lines: string[] } = { pages: 0, lines: [] };

async function baseline(): Promise<number> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const perPage = Math.ceil(baselineText.lines.length / baselineText.pages);
  for (let p = 0; p < baselineText.pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    baselineText.lines.slice(p * perPage, (p + 1) * perPage).forEach((line, i) => {
      page.drawText(line, { x: 56, y: 780 - i * 12, size: 9, font });
    });
  }
  return (await doc.save(SAVE)).length;
}

async function measure(name: string, run: () => Promise<number>, inFlight: number) {
  for (let i = 0; i < 20; i++) await run();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let size = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < RENDERS) size = await run();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000 / RENDERS;
  const label = `${name} (${inFlight === 1 ? 'sequential' : `${inFlight} in flight`})`;
  console.log(
    [
      label.padEnd(50),
      `${(RENDERS / seconds).toFixed(1).padStart(6)} /s wall`,
      `${cpuMs.toFixed(2).padStart(6)} ms CPU each (${(1000 / cpuMs).toFixed(0)} /s per core)`,
      `${size} bytes`,
    ].join('  '),
  );
}

async function main(): Promise<void> {
  // The baseline draws the attestation's own text: same pages, same characters.
  const probe = await sut.renderAttestation(input);
  const chars = input.markdown.length + evidenceJson(input.evidence).length;
  const line = 'The quick brown fox jumps over the lazy dog, again and again and again. ';
  baselineText = {
    pages: probe.getPageCount(),
    lines: Array.from({ length: Math.ceil(chars / line.length) }, () => line),
  };
  console.log(
    `Attestation: ${probe.getPageCount()} pages; baseline: ${baselineText.pages} pages, ${baselineText.lines.length} lines of Helvetica (~${chars} characters). ${RENDERS} documents each, Node ${process.version}.`,
  );
  await measure('baseline: pdf-lib + StandardFonts, saved', baseline, 1);
  await measure('attestation: render only (unsaved)', renderOnly, 1);
  await measure('attestation: render + save', attestation, 1);
  await measure('baseline: pdf-lib + StandardFonts, saved', baseline, 8);
  await measure('attestation: render + save', attestation, 8);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
