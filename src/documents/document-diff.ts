import { diffLines } from 'diff';

/** One run of lines in a diff: kept, added in the new version, or removed from the old. */
export interface DiffLineView {
  readonly change: 'same' | 'added' | 'removed';
  /** The run's Markdown as it is in the document's source. */
  readonly text: string;
  /** The run rendered as the reader sees the document (raw HTML escaped by the renderer). */
  readonly html: string;
  /** For the template, which has no comparison helper. */
  readonly added: boolean;
  readonly removed: boolean;
  /** A long unchanged stretch left out. */
  readonly folded: boolean;
}

/** How many unchanged lines to keep around each change. */
const CONTEXT = 2;

type Line = { change: DiffLineView['change']; text: string; folded: boolean };

/**
 * A readable, line-based diff of two Markdown bodies (Markdown keeps a paragraph on a line),
 * with long unchanged stretches folded to a marker. Consecutive lines of one kind form a run,
 * rendered as Markdown, so a reader sees headings, lists and emphasis rather than their syntax.
 */
export function diffDocuments(
  before: string,
  after: string,
  render: (markdown: string) => string,
): DiffLineView[] {
  const lines: Line[] = [];
  // A file's final newline is not a change a reader can see.
  const end = (text: string) => `${text.trimEnd()}\n`;
  for (const part of diffLines(end(before), end(after))) {
    const change = part.added ? 'added' : part.removed ? 'removed' : 'same';
    for (const text of part.value.replace(/\n$/, '').split('\n')) {
      lines.push({ change, text, folded: false });
    }
  }
  const near = (index: number) =>
    lines
      .slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1)
      .some((line) => line.change !== 'same');
  const kept: Line[] = [];
  let folded = false;
  lines.forEach((line, index) => {
    if (line.change !== 'same' || near(index)) {
      kept.push(line);
      folded = false;
    } else if (!folded) {
      kept.push({ change: 'same', text: '…', folded: true });
      folded = true;
    }
  });
  const runs: Line[] = [];
  for (const line of kept) {
    const last = runs.at(-1);
    if (last && !last.folded && !line.folded && last.change === line.change) {
      last.text = `${last.text}\n${line.text}`;
    } else {
      runs.push({ ...line });
    }
  }
  return runs
    .filter((run) => run.folded || run.text.trim() !== '')
    .map((run) => ({
      change: run.change,
      text: run.text,
      html: run.folded ? '' : render(run.text),
      added: run.change === 'added',
      removed: run.change === 'removed',
      folded: run.folded,
    }));
}
