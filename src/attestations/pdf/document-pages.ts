import { markdownBlocks } from './markdown-blocks';
import { layoutMarkdown } from './markdown-layout';
import type { PageCanvas } from './page-canvas';
import { PageFlow, type TextStyle } from './page-flow';
import type { TextMeasurer } from './pdf-fonts';

const CAPTION: TextStyle = { size: 8, leading: 1.4, gray: 0.4 };

// Laid-out pages by document version. Everyone who signs a version gets the same pages, and
// parsing and laying out a policy is most of the cost of rendering its attestation.
const CACHE_LIMIT = 16;
const cache = new Map<string, readonly PageCanvas[]>();

function layout(caption: string, markdown: string, measurer: TextMeasurer): PageCanvas[] {
  const flow = new PageFlow(measurer);
  flow.paragraph([{ text: caption, style: 'regular' }], flow.left, flow.contentWidth, CAPTION);
  flow.gap(4);
  layoutMarkdown(flow, markdownBlocks(markdown));
  return flow.pages;
}

/**
 * Pages 1…n of an attestation: a caption naming the version, then the document as signed.
 * Returns fresh copies, so a caller may add footers without touching the cached pages.
 */
export function documentPages(
  caption: string,
  markdown: string,
  measurer: TextMeasurer,
): PageCanvas[] {
  const key = `${caption}\u0000${markdown}`;
  let pages = cache.get(key);
  if (pages) {
    cache.delete(key);
  } else {
    pages = layout(caption, markdown, measurer);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, pages);
  return pages.map((page) => page.clone());
}
