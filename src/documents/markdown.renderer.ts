import { Injectable } from '@nestjs/common';
import MarkdownIt from 'markdown-it';

/**
 * Turns a document's Markdown into HTML for the reading view. Raw HTML in a policy is shown as
 * text (`html: false`) and markdown-it's link validation drops javascript: and similar URLs, so
 * a policy file cannot inject script.
 */
@Injectable()
export class MarkdownRenderer {
  private readonly markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

  constructor() {
    // The page's own title is its one h1 (WCAG 1.3.1, 2.4.6): a document's headings start at h2.
    this.markdown.core.ruler.push('demote_headings', (state) => {
      for (const token of state.tokens) {
        if (token.type === 'heading_open' || token.type === 'heading_close') {
          token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
        }
      }
    });
  }

  toHtml(markdown: string): string {
    return this.markdown.render(markdown);
  }
}
