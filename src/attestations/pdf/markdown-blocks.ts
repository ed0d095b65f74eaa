import MarkdownIt from 'markdown-it';
import type { FontStyle } from './font-faces';
import type { Align } from './page-flow';
import type { TextRun } from './text-wrap';

type Token = MarkdownIt.Token;

/** A document as the PDF lays it out: block structure with styled inline runs. */
export type Block =
  | { readonly kind: 'heading'; readonly level: number; readonly runs: TextRun[] }
  | { readonly kind: 'paragraph'; readonly runs: TextRun[] }
  | {
      readonly kind: 'list';
      readonly ordered: boolean;
      readonly start: number;
      readonly items: Block[][];
    }
  | {
      readonly kind: 'table';
      readonly align: Align[];
      readonly header: TextRun[][];
      readonly rows: TextRun[][][];
    }
  | { readonly kind: 'quote'; readonly blocks: Block[] }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'rule' };

// The same options as the reading view (MarkdownRenderer), so the PDF shows the same document:
// raw HTML is text, and links markdown-it refuses (javascript: and the like) stay as text.
const markdownIt = new MarkdownIt({ html: false, linkify: false, typographer: false });

const ABSOLUTE_LINK = /^(https?:|mailto:)/i;

function styleOf(bold: number, italic: number, code: boolean): FontStyle {
  if (code) return 'mono';
  if (bold > 0) return italic > 0 ? 'boldItalic' : 'bold';
  return italic > 0 ? 'italic' : 'regular';
}

/** Inline tokens to runs. Links become their text, followed by the address when it differs. */
export function inlineRuns(children: readonly Token[]): TextRun[] {
  const runs: TextRun[] = [];
  let bold = 0;
  let italic = 0;
  const links: string[] = [];
  const push = (text: string, style: FontStyle = styleOf(bold, italic, false)) => {
    const last = runs[runs.length - 1];
    if (last && last.style === style) runs[runs.length - 1] = { text: last.text + text, style };
    else if (text !== '') runs.push({ text, style });
  };
  const linkText: string[] = [];
  for (const token of children) {
    switch (token.type) {
      case 'text':
        push(token.content.replace(/\s+/g, ' '));
        if (links.length > 0) linkText.push(token.content);
        break;
      case 'code_inline':
        push(token.content, styleOf(bold, italic, true));
        if (links.length > 0) linkText.push(token.content);
        break;
      case 'strong_open':
        bold++;
        break;
      case 'strong_close':
        bold--;
        break;
      case 'em_open':
        italic++;
        break;
      case 'em_close':
        italic--;
        break;
      case 'softbreak':
        push(' ');
        break;
      case 'hardbreak':
        push('\n');
        break;
      case 'image':
        push(token.content);
        break;
      case 'link_open':
        links.push(String(token.attrGet('href') ?? ''));
        linkText.length = 0;
        break;
      case 'link_close': {
        const href = links.pop() ?? '';
        const shown = href.replace(/^mailto:/i, '');
        if (ABSOLUTE_LINK.test(href) && linkText.join('').trim() !== shown) push(` (${shown})`);
        break;
      }
      default:
        // s_open/s_close and the like: the words still print; only the decoration is lost.
        if (token.children) for (const run of inlineRuns(token.children)) push(run.text, run.style);
        else if (token.content) push(token.content);
    }
  }
  return runs;
}

function alignOf(token: Token): Align {
  const style = String(token.attrGet('style') ?? '');
  if (style.includes('right')) return 'right';
  if (style.includes('center')) return 'center';
  return 'left';
}

/** Finds the index of the token closing the one at `start`. */
function closing(tokens: readonly Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    depth += tokens[i].nesting;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

function parseTable(tokens: readonly Token[]): Block {
  const header: TextRun[][] = [];
  const rows: TextRun[][][] = [];
  const align: Align[] = [];
  let row: TextRun[][] | null = null;
  let inHead = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'thead_open') inHead = true;
    else if (token.type === 'thead_close') inHead = false;
    else if (token.type === 'tr_open') row = inHead ? header : [];
    else if (token.type === 'tr_close' && row && !inHead) rows.push(row);
    else if (token.type === 'th_open' || token.type === 'td_open') {
      if (inHead) align.push(alignOf(token));
      const inline = tokens[i + 1];
      row?.push(inline?.type === 'inline' ? inlineRuns(inline.children ?? []) : []);
    }
  }
  return { kind: 'table', align, header, rows };
}

function parseBlocks(tokens: readonly Token[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    switch (token.type) {
      case 'heading_open': {
        const inline = tokens[i + 1];
        blocks.push({
          kind: 'heading',
          level: Number(token.tag.slice(1)),
          runs: inlineRuns(inline.children ?? []),
        });
        i = closing(tokens, i);
        break;
      }
      case 'paragraph_open': {
        const inline = tokens[i + 1];
        blocks.push({ kind: 'paragraph', runs: inlineRuns(inline.children ?? []) });
        i = closing(tokens, i);
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const end = closing(tokens, i);
        const items: Block[][] = [];
        for (let j = i + 1; j < end; j++) {
          if (tokens[j].type !== 'list_item_open') continue;
          const itemEnd = closing(tokens, j);
          items.push(parseBlocks(tokens.slice(j + 1, itemEnd)));
          j = itemEnd;
        }
        blocks.push({
          kind: 'list',
          ordered: token.type === 'ordered_list_open',
          start: Number(token.attrGet('start') ?? 1),
          items,
        });
        i = end;
        break;
      }
      case 'blockquote_open': {
        const end = closing(tokens, i);
        blocks.push({ kind: 'quote', blocks: parseBlocks(tokens.slice(i + 1, end)) });
        i = end;
        break;
      }
      case 'table_open': {
        const end = closing(tokens, i);
        blocks.push(parseTable(tokens.slice(i + 1, end)));
        i = end;
        break;
      }
      case 'fence':
      case 'code_block':
        blocks.push({ kind: 'code', text: token.content.replace(/\n$/, '') });
        break;
      case 'hr':
        blocks.push({ kind: 'rule' });
        break;
      case 'html_block':
        blocks.push({ kind: 'paragraph', runs: [{ text: token.content, style: 'regular' }] });
        break;
      default:
        break;
    }
  }
  return blocks;
}

/** Parses a document body (without front matter) into blocks. Never renders HTML. */
export function markdownBlocks(markdown: string): Block[] {
  return parseBlocks(markdownIt.parse(markdown, {}));
}
