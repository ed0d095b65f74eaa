import { NO_FILTERS } from './export-filters';
import { type ExportManifest, manifestBytes, parseManifest } from './export-manifest';

const manifest: ExportManifest = {
  format: 'attest-export/1',
  exportId: '0b9c6f7e-7a53-4c52-9d44-8f0d3b1e2a10',
  generatedAt: '2026-11-23T12:00:00.000Z',
  organisation: 'Ørsted & Dvořák ApS',
  filters: NO_FILTERS,
  count: 1,
  seal: { subject: 'CN=Seal', fingerprintSha256: 'AB:CD' },
  files: [
    {
      path: 'attestations/0b9c6f7e-7a53-4c52-9d44-8f0d3b1e2a11.pdf',
      size: 10,
      sha256: 'a'.repeat(64),
    },
    { path: 'index.csv', size: 5, sha256: 'b'.repeat(64) },
  ],
};

describe(parseManifest.name, () => {
  it('reads back exactly what manifestBytes wrote, as UTF-8 JSON ending in a newline', () => {
    const bytes = manifestBytes(manifest);
    expect(bytes.toString('utf8').endsWith('}\n')).toBe(true);
    expect(bytes.toString('utf8')).toContain('Ørsted & Dvořák ApS');
    expect(parseManifest(bytes)).toEqual(manifest);
  });

  it.each([
    ['not JSON', Buffer.from('{')],
    ['another format', manifestBytes({ ...manifest, format: 'other' as 'attest-export/1' })],
    [
      'a file without a proper digest',
      manifestBytes({ ...manifest, files: [{ path: 'index.csv', size: 5, sha256: 'xyz' }] }),
    ],
    [
      'a file with a fractional size',
      manifestBytes({
        ...manifest,
        files: [{ path: 'index.csv', size: 1.5, sha256: 'b'.repeat(64) }],
      }),
    ],
  ])('refuses %s', (_label, bytes) => {
    expect(parseManifest(bytes)).toBeUndefined();
  });
});
