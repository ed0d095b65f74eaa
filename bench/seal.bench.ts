/*
 * Sealing throughput: the same three-page policy attestation (DejaVu fonts, evidence.json)
 * sealed by the naive @signpdf pipeline (placeholder + `new P12Signer(p12)` + SignPdf, RSA in
 * JavaScript via node-forge) and by Attest's DocumentSealer (pkijs CMS, node:crypto RSA on the
 * thread pool), side by side in one run. Each seal starts from `PDFDocument.load` of the
 * rendered bytes, for both, and that load is counted in both figures.
 *
 *   npm run bench:seal
 *   BENCH_SEALS=1000 BENCH_BASELINE_SEALS=50 BENCH_CONCURRENCY=4 npm run bench:seal
 *
 * This is a benchmark, not a test: it prints figures and asserts nothing about time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { PDFDocument } from 'pdf-lib';
import { generate } from 'selfsigned';
import { DocumentSealer } from '../src/attestations/seal/document-sealer';
import { loadSealKeys } from '../src/attestations/seal/seal-keys';
import { AttestationVerifier } from '../src/attestations/verify/attestation-verifier';
import { Clock } from '../src/common/clock';
import { loadConfig } from '../src/config/config.loader';
import { policyAttestationPdf } from './policy-document';

const SEALS = Number(process.env.BENCH_SEALS ?? 600);
const BASELINE_SEALS = Number(process.env.BENCH_BASELINE_SEALS ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const PASSPHRASE = 'bench-passphrase';
const DETAILS = { reason: 'Attestation of acknowledgement', name: 'Example Ltd' };

/** One RSA-2048 seal, as PEM (ours) and as a PKCS#12 made by openssl (the baseline's input). */
async function sealMaterial(dir: string) {
  const pems = await generate([{ name: 'commonName', value: 'Attest bench seal' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  writeFileSync(join(dir, 'key.pem'), pems.private, { mode: 0o600 });
  writeFileSync(join(dir, 'cert.pem'), pems.cert);
  // node-forge reads the classic PKCS#12 encryption (3DES/RC2), which -legacy produces.
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-legacy',
    '-inkey',
    join(dir, 'key.pem'),
    '-in',
    join(dir, 'cert.pem'),
    '-out',
    join(dir, 'seal.p12'),
    '-passout',
    `pass:${PASSPHRASE}`,
  ]);
  return { keyPem: pems.private, certPem: pems.cert, p12: readFileSync(join(dir, 'seal.p12')) };
}

async function baseline(template: Uint8Array, p12: Buffer): Promise<Buffer> {
  const doc = await PDFDocument.load(template);
  pdflibAddPlaceholder({ pdfDoc: doc, ...DETAILS, location: '', contactInfo: '' });
  const pdf = Buffer.from(await doc.save());
  return new SignPdf().sign(pdf, new P12Signer(p12, { passphrase: PASSPHRASE }));
}

async function timed(count: number, concurrency: number, one: () => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, msEach: (seconds * 1000) / count };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-seal-bench-'));
  try {
    const material = await sealMaterial(dir);
    const base = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir });
    const keys = await loadSealKeys({
      ...base,
      signing: { ...base.signing, key: material.keyPem, cert: material.certPem },
    });
    const sealer = new DocumentSealer(keys, new Clock(), null);
    const template = await policyAttestationPdf();
    const ours = async () => sealer.seal(await PDFDocument.load(template), DETAILS);

    const sample = await ours();
    const check = await new AttestationVerifier(keys).verify(sample, { maxBytes: 1e8 });
    if (!check.valid) throw new Error(`our seal did not verify: ${check.reason}`);
    for (let i = 0; i < 5; i++) await baseline(template, material.p12);
    for (let i = 0; i < 50; i++) await ours();

    const loads = await timed(SEALS, 1, () => PDFDocument.load(template));
    const naive = await timed(BASELINE_SEALS, 1, () => baseline(template, material.p12));
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const sequential = await timed(SEALS, 1, ours);
    loop.disable();
    const concurrent = await timed(SEALS, CONCURRENCY, ours);

    console.log(
      `\nSealing a 3-page policy attestation (${template.length} bytes unsigned, ` +
        `${sample.length} sealed), RSA-2048, ${cpus().length} CPUs, Node ${process.version}:`,
    );
    const row = (label: string, r: { perSecond: number; msEach: number }, n: number) =>
      console.log(
        label.padEnd(62),
        `${r.perSecond.toFixed(1)} PDFs/s`.padStart(14),
        `${r.msEach.toFixed(2)} ms each`.padStart(16),
        `n=${n}`.padStart(8),
      );
    row('baseline: placeholder + new P12Signer(p12) + SignPdf', naive, BASELINE_SEALS);
    row('Attest DocumentSealer, one at a time', sequential, SEALS);
    row(`Attest DocumentSealer, ${CONCURRENCY} in flight`, concurrent, SEALS);
    row('(of which PDFDocument.load of the input, both pipelines)', loads, SEALS);
    console.log(
      `ratio: ${(sequential.perSecond / naive.perSecond).toFixed(1)}x one at a time, ` +
        `${(concurrent.perSecond / naive.perSecond).toFixed(1)}x with ${CONCURRENCY} in flight`,
    );
    console.log(
      'event loop delay while sealing one at a time (timers late by): ' +
        `p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, ` +
        `p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
