import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  disclosureFrontMatterSchema,
  documentFrontMatterSchema,
  VERSION,
} from './document-front-matter.schema';
import { ChangeKind, DocumentKind, type Quiz } from './document-version.entity';

/** A document file as read from policies/, validated. */
export interface DocumentSource {
  /** Path relative to the policies folder, for messages. */
  readonly file: string;
  readonly documentId: string;
  readonly title: string;
  readonly kind: DocumentKind;
  readonly version: string;
  readonly versionKey: string;
  readonly effective: string;
  readonly change: ChangeKind;
  readonly changes: string;
  readonly resignOnMinor: boolean;
  readonly body: string;
  readonly source: string;
  readonly sha256: string;
  readonly quiz: Quiz | null;
}

export type ParseResult =
  | { readonly ok: true; readonly document: DocumentSource }
  | { readonly ok: false; readonly messages: readonly string[] };

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** "1.10.0" → "000001.000010.000000": versions compare as strings. */
export function versionKeyOf(version: string): string {
  const match = VERSION.exec(version);
  if (!match) throw new Error(`not a MAJOR.MINOR.PATCH version: ${version}`);
  return match
    .slice(1, 4)
    .map((part) => part.padStart(6, '0'))
    .join('.');
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Parses one Markdown file with YAML front matter. `disclosure` files (policies/esign/) carry
 * only id, title, version and effective. The SHA-256 covers the file's exact bytes.
 */
export function parseDocumentSource(
  file: string,
  bytes: Buffer,
  options: { disclosure: boolean },
): ParseResult {
  const source = bytes.toString('utf8');
  if (!Buffer.from(source, 'utf8').equals(bytes)) {
    return { ok: false, messages: ['is not valid UTF-8; save it as UTF-8'] };
  }
  const match = FRONT_MATTER.exec(source.replace(/^\uFEFF/, ''));
  if (!match) {
    return {
      ok: false,
      messages: ['must start with YAML front matter between two "---" lines'],
    };
  }
  const yaml = parseDocument(match[1], { uniqueKeys: true });
  if (yaml.errors.length > 0) {
    return {
      ok: false,
      messages: yaml.errors.map(
        (e) => `front matter is not valid YAML: ${e.message.split('\n')[0]}`,
      ),
    };
  }
  const body = match[2].trim();
  if (body.length === 0) return { ok: false, messages: ['has no text after its front matter'] };
  const base = { file, body, source, sha256: sha256Hex(bytes) };
  const raw: unknown = yaml.toJS();
  if (options.disclosure) {
    const parsed = disclosureFrontMatterSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, messages: problemsOf(parsed.error) };
    const fm = parsed.data;
    return {
      ok: true,
      document: {
        ...base,
        documentId: fm.id,
        title: fm.title,
        kind: DocumentKind.Disclosure,
        version: fm.version,
        versionKey: versionKeyOf(fm.version),
        effective: fm.effective,
        change: ChangeKind.Material,
        changes: '',
        resignOnMinor: false,
        quiz: null,
      },
    };
  }
  const parsed = documentFrontMatterSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, messages: problemsOf(parsed.error) };
  const fm = parsed.data;
  return {
    ok: true,
    document: {
      ...base,
      documentId: fm.id,
      title: fm.title,
      kind: fm.kind,
      version: fm.version,
      versionKey: versionKeyOf(fm.version),
      effective: fm.effective,
      change: fm.change,
      changes: fm.changes,
      resignOnMinor: fm.resign_on_minor ?? false,
      quiz:
        fm.questions && fm.pass_mark !== undefined
          ? { passMark: fm.pass_mark, questions: fm.questions }
          : null,
    },
  };
}

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return `front matter has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    }
    return field
      ? `front matter field "${field}" ${issue.message}`
      : `front matter ${issue.message}`;
  });
}
