import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((file) => ({
  path: relative(SRC, file),
  text: readFileSync(file, 'utf8'),
}));

/** The src-relative modules a file imports, without extension. */
function importsOf(file: { path: string; text: string }): string[] {
  return [...file.text.matchAll(/from '(\.[^']+)'/g)].map(([, spec]) =>
    relative(SRC, join(SRC, file.path, '..', spec)),
  );
}

const inFolder = (folder: string) => files.filter((f) => f.path.startsWith(`${folder}/`));

/**
 * Signing is layered: documents and training (the ceremonies) above the signature recorder,
 * the recorder above attestations (PDFs and seals). Nothing reaches up, and only the recorder
 * writes signatures and attestations.
 */
describe('signing layers', () => {
  it('attestations import nothing from documents, training or the recorder', () => {
    const offenders = inFolder('attestations').flatMap((f) =>
      importsOf(f)
        .filter((m) => /^(documents|training|signatures)\//.test(m))
        // The foreign key that ties each attestation to exactly one signature.
        .filter(
          (m) =>
            !(
              f.path === 'attestations/attestation.entity.ts' && m === 'signatures/signature.entity'
            ),
        )
        .map((m) => `${f.path} → ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it('training imports no service of documents', () => {
    const offenders = inFolder('training').flatMap((f) =>
      importsOf(f)
        .filter((m) => /^documents\/.*\.service$/.test(m))
        .map((m) => `${f.path} → ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it('documents import nothing from training', () => {
    const offenders = inFolder('documents').flatMap((f) =>
      importsOf(f)
        .filter((m) => m.startsWith('training/'))
        .map((m) => `${f.path} → ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only the recorder writes signature and attestation rows', () => {
    const writers = files
      .filter(
        (f) =>
          /\bcreate\(\s*(Signature|Attestation)\s*,/.test(f.text) ||
          /insert\s+into\s+"?(signature|attestation)"?[\s(]/i.test(f.text) ||
          /\binsertInto\(\s*['"](signature|attestation)['"]/.test(f.text) ||
          /\b(signatures|attestations)\.(append|attestIn)\(/.test(f.text),
      )
      .map((f) => f.path)
      .sort();
    expect(writers).toEqual([
      'attestations/attestation.repository.ts',
      'attestations/attestations.service.ts',
      'signatures/signature-recorder.ts',
      'signatures/signature.repository.ts',
    ]);
  });
});
