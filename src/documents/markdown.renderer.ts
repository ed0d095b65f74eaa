import { Injectable } from '@nestjs/common';
import { Marked } from 'marked';

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const SAFE_HREF = /^(https?:|mailto:|#|\/(?!\/))/i;

/**
 * Turns a document's Markdown into HTML for the reading view. Raw HTML in a policy is shown as
 * text, and only web, mail and in-page links survive: a policy file cannot inject script.
 */
@Injectable()
export class MarkdownRenderer {
  private readonly marked = new Marked({
    gfm: true,
    async: false,
    renderer: {
      html: ({ text }) => escapeHtml(text),
      link({ href, tokens }) {
        const label = this.parser.parseInline(tokens);
        return SAFE_HREF.test(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
      },
      image: ({ text }) => escapeHtml(text),
    },
  });

  toHtml(markdown: string): string {
    return this.marked.parse(markdown, { async: false });
  }
}
