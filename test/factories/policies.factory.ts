import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_REQUIREMENTS_FILE } from '../../src/requirements/requirements-file.loader';

/** A private copy of the shipped policies/ folder that a test may edit. */
export interface PoliciesCopy {
  readonly dir: string;
  read(file: string): string;
  write(file: string, text: string): void;
  /**
   * Publishes a new version of a document: sets `version` and `change`, replaces the `changes`
   * summary and appends a paragraph to the text.
   */
  bump(
    documentId: string,
    version: string,
    change: 'material' | 'minor',
    summary: string,
    addedText: string,
  ): void;
  remove(): void;
}

export function copyPolicies(): PoliciesCopy {
  const dir = mkdtempSync(join(tmpdir(), 'attest-policies-'));
  cpSync(dirname(DEFAULT_REQUIREMENTS_FILE), dir, { recursive: true });
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
  return {
    dir,
    read,
    write,
    bump(documentId, version, change, summary, addedText) {
      const file = `documents/${documentId}.md`;
      const text = read(file)
        .replace(/^version: .*$/m, `version: ${version}`)
        .replace(/^change: .*$/m, `change: ${change}`)
        .replace(/^changes: .*(?:\n[ \t]+.*)*/m, `changes: ${JSON.stringify(summary)}`);
      write(file, `${text.trimEnd()}\n\n${addedText}\n`);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
