import { diffLines } from 'diff';

/** One run of lines in a diff: kept, added in the new version, or removed from the old. */
export interface DiffLineView {
  readonly change: 'same' | 'added' | 'removed';
  readonly text: string;
  /** For the template, which has no comparison helper. */
  readonly added: boolean;
  readonly removed: boolean;
}

/** How many unchanged lines to keep around each change. */
const CONTEXT = 2;

/**
 * A readable, line-based diff of two Markdown bodies (Markdown keeps a paragraph on a line),
 * with long unchanged stretches folded to a marker.
 */
export function diffDocuments(before: string, after: string): DiffLineView[] {
  const lines: DiffLineView[] = [];
  for (const part of diffLines(before, after)) {
    const change = part.added ? 'added' : part.removed ? 'removed' : 'same';
    for (const text of part.value.replace(/\n$/, '').split('\n')) {
      lines.push({ change, text, added: change === 'added', removed: change === 'removed' });
    }
  }
  const near = (index: number) =>
    lines
      .slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1)
      .some((line) => line.change !== 'same');
  const out: DiffLineView[] = [];
  let folded = false;
  lines.forEach((line, index) => {
    if (line.change !== 'same' || near(index)) {
      out.push(line);
      folded = false;
    } else if (!folded) {
      out.push({ change: 'same', text: '…', added: false, removed: false });
      folded = true;
    }
  });
  return out;
}
