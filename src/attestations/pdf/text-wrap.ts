import type { FontStyle } from './font-faces';
import type { TextMeasurer } from './pdf-fonts';

/** A run of text in one face. A '\n' in the text is a hard line break. */
export interface TextRun {
  readonly text: string;
  readonly style: FontStyle;
}

/** Part of a wrapped line in one face, `x` relative to the line's start. */
export interface LineFragment {
  readonly text: string;
  readonly style: FontStyle;
  readonly x: number;
  readonly width: number;
}

export interface WrappedLine {
  readonly fragments: readonly LineFragment[];
  readonly width: number;
}

interface Piece {
  text: string;
  style: FontStyle;
  width: number;
}

interface Word {
  readonly pieces: Piece[];
  width: number;
  /** The space before this word, if any (dropped at the start of a line). */
  space: Piece | null;
  /** A hard break comes before this word. */
  breakBefore: boolean;
}

// After these a long unbreakable token (a URL, an entity id) may be broken. Not after '-':
// text extractors (pdftotext, copy and paste) treat a hyphen at the end of a line as a word
// split and drop it, which would corrupt a UUID or a hyphenated name on the way out.
const BREAK_AFTER = new Set(['/', '.', ':', '_', '?', '&', '=', ',', ';', '@', '|', '+']);

function toWords(runs: readonly TextRun[], measurer: TextMeasurer, size: number): Word[] {
  const words: Word[] = [];
  let current: Word | null = null;
  let pendingSpace: Piece | null = null;
  let pendingBreak = false;
  for (const run of runs) {
    const text = measurer.sanitize(run.text, run.style);
    for (const part of text.split(/(\n| +)/)) {
      if (part === '') continue;
      if (part === '\n') {
        current = null;
        pendingSpace = null;
        pendingBreak = true;
      } else if (part[0] === ' ') {
        current = null;
        pendingSpace = { text: ' ', style: run.style, width: measurer.width(' ', run.style, size) };
      } else if (current) {
        const width = measurer.width(part, run.style, size);
        current.pieces.push({ text: part, style: run.style, width });
        current.width += width;
      } else {
        const width = measurer.width(part, run.style, size);
        current = {
          pieces: [{ text: part, style: run.style, width }],
          width,
          space: pendingSpace,
          breakBefore: pendingBreak,
        };
        words.push(current);
        pendingSpace = null;
        pendingBreak = false;
      }
    }
  }
  if (pendingBreak) words.push({ pieces: [], width: 0, space: null, breakBefore: true });
  return words;
}

/**
 * Splits a word wider than the line into chunks that fit, preferring to break after a
 * separator such as '/', otherwise between any two characters but never just after a '-'.
 */
function splitWord(word: Word, maxWidth: number, measurer: TextMeasurer, size: number): Word[] {
  const chars: Piece[] = [];
  for (const piece of word.pieces) {
    for (const char of piece.text) {
      chars.push({
        text: char,
        style: piece.style,
        width: measurer.width(char, piece.style, size),
      });
    }
  }
  const chunks: Word[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start;
    let width = 0;
    while (end < chars.length && (end === start || width + chars[end].width <= maxWidth)) {
      width += chars[end].width;
      end++;
    }
    if (end < chars.length) {
      let separator = false;
      for (let i = end - 1; i > start + (end - start) / 3; i--) {
        if (BREAK_AFTER.has(chars[i].text)) {
          end = i + 1;
          separator = true;
          break;
        }
      }
      if (!separator && chars[end - 1].text === '-' && end - 1 > start) end--;
    }
    const pieces: Piece[] = [];
    for (const char of chars.slice(start, end)) {
      const last = pieces[pieces.length - 1];
      if (last && last.style === char.style) {
        last.text += char.text;
        last.width += char.width;
      } else {
        pieces.push({ ...char });
      }
    }
    chunks.push({
      pieces,
      width: pieces.reduce((sum, p) => sum + p.width, 0),
      space: chunks.length === 0 ? word.space : null,
      breakBefore: chunks.length === 0 ? word.breakBefore : false,
    });
    start = end;
  }
  return chunks;
}

function toLine(words: readonly Word[]): WrappedLine {
  const fragments: { text: string; style: FontStyle; x: number; width: number }[] = [];
  let x = 0;
  const add = (piece: Piece) => {
    const last = fragments[fragments.length - 1];
    if (last && last.style === piece.style) {
      last.text += piece.text;
      last.width += piece.width;
    } else {
      fragments.push({ text: piece.text, style: piece.style, x, width: piece.width });
    }
    x += piece.width;
  };
  words.forEach((word, i) => {
    if (i > 0 && word.space) add(word.space);
    for (const piece of word.pieces) add(piece);
  });
  return { fragments, width: x };
}

/**
 * Greedy word wrap of styled runs to a maximum width. Widths come from the faces' advance
 * widths, which is exactly what a PDF viewer uses to place glyphs (the text is drawn without
 * kerning), so a line never runs past `maxWidth`.
 */
export function wrapRuns(
  runs: readonly TextRun[],
  maxWidth: number,
  size: number,
  measurer: TextMeasurer,
): WrappedLine[] {
  const lines: WrappedLine[] = [];
  let line: Word[] = [];
  let lineWidth = 0;
  const flush = () => {
    lines.push(toLine(line));
    line = [];
    lineWidth = 0;
  };
  for (const word of toWords(runs, measurer, size)) {
    if (word.breakBefore && (line.length > 0 || lines.length > 0 || word.pieces.length === 0)) {
      flush();
    }
    if (word.pieces.length === 0) continue;
    const spaceWidth = line.length > 0 && word.space ? word.space.width : 0;
    if (lineWidth + spaceWidth + word.width <= maxWidth) {
      line.push(word);
      lineWidth += spaceWidth + word.width;
      continue;
    }
    if (line.length > 0) flush();
    const chunks = word.width > maxWidth ? splitWord(word, maxWidth, measurer, size) : [word];
    for (const chunk of chunks) {
      if (line.length > 0) flush();
      line.push(chunk);
      lineWidth = chunk.width;
    }
  }
  if (line.length > 0 || lines.length === 0) flush();
  return lines;
}

/** The widest unbreakable word and the unwrapped width: a table column's bounds. */
export function measureRuns(
  runs: readonly TextRun[],
  size: number,
  measurer: TextMeasurer,
): { minWidth: number; maxWidth: number } {
  let minWidth = 0;
  let maxWidth = 0;
  let lineWidth = 0;
  for (const word of toWords(runs, measurer, size)) {
    if (word.breakBefore) lineWidth = 0;
    minWidth = Math.max(minWidth, word.width);
    lineWidth += (lineWidth > 0 && word.space ? word.space.width : 0) + word.width;
    maxWidth = Math.max(maxWidth, lineWidth);
  }
  return { minWidth, maxWidth };
}
