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

  toHtml(markdown: string): string {
    return this.markdown.render(markdown);
  }
}
