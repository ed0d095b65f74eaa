import { parseDocumentSource, versionKeyOf } from './document-source.parser';

const file = (frontMatter: string, body = '# Title\n\nText.') =>
  Buffer.from(`---\n${frontMatter}\n---\n${body}\n`);

const POLICY = [
  'id: nda',
  'title: NDA',
  'kind: nda',
  'version: 1.2.0',
  'effective: 2026-01-01',
  'change: material',
  'changes: First version.',
].join('\n');

const QUIZ = [
  'id: training-x',
  'title: X',
  'kind: training',
  'version: 1.0.0',
  'effective: 2026-01-01',
  'change: material',
  'changes: First.',
  'pass_mark: 80',
  'questions:',
  '  - id: q-1',
  '    prompt: Which?',
  '    options: [a, b]',
  '    answer: 1',
].join('\n');

describe(parseDocumentSource.name, () => {
  it('reads a policy, hashing the exact bytes and keeping the body without front matter', () => {
    const bytes = file(POLICY);
    const result = parseDocumentSource('documents/nda.md', bytes, { disclosure: false });
    if (!result.ok) throw new Error(result.messages.join('; '));
    expect(result.document).toMatchObject({
      documentId: 'nda',
      kind: 'nda',
      version: '1.2.0',
      versionKey: '000001.000002.000000',
      body: '# Title\n\nText.',
      resignOnMinor: false,
      quiz: null,
    });
    expect(result.document.sha256).toMatch(/^[0-9a-f]{64}$/);
    const other = parseDocumentSource('documents/nda.md', file(POLICY, '# Title\n\nText!'), {
      disclosure: false,
    });
    expect(other.ok && other.document.sha256).not.toBe(result.document.sha256);
  });

  it('reads a training module with its quiz', () => {
    const result = parseDocumentSource('documents/training-x.md', file(QUIZ), {
      disclosure: false,
    });
    expect(result.ok && result.document.quiz).toEqual({
      passMark: 80,
      questions: [{ id: 'q-1', prompt: 'Which?', options: ['a', 'b'], answer: 1 }],
    });
  });

  it.each<[string, string, RegExp]>([
    ['no front matter', '', /must start with YAML front matter/],
    ['an unknown kind', POLICY.replace('kind: nda', 'kind: memo'), /"kind" must be one of/],
    ['a two-part version', POLICY.replace('1.2.0', '1.2'), /"version"/],
    ['an impossible date', POLICY.replace('2026-01-01', '2026-02-30'), /not a real calendar date/],
    ['a missing summary', POLICY.replace('changes: First version.', ''), /"changes" is required/],
    ['an unknown field', `${POLICY}\nowner: me`, /unknown field owner/],
    [
      'an answer out of range',
      QUIZ.replace('answer: 1', 'answer: 2'),
      /must point at one of the 2/,
    ],
    ['a quiz on a policy', `${POLICY}\npass_mark: 50`, /must be training/],
    ['a module without questions', QUIZ.split('\nquestions:')[0], /"questions" are required/],
  ])('refuses %s, saying what is wrong', (_case, frontMatter, message) => {
    const bytes = frontMatter ? file(frontMatter) : Buffer.from('# No front matter\n');
    const result = parseDocumentSource('documents/x.md', bytes, { disclosure: false });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.messages.join('\n')).toMatch(message);
  });

  it('orders versions numerically', () => {
    expect(versionKeyOf('1.10.0') > versionKeyOf('1.9.3')).toBe(true);
    expect(versionKeyOf('2.0.0') > versionKeyOf('1.99.99')).toBe(true);
  });
});
