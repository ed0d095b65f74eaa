import type { PageGeometry } from './page-flow';
import type { PageCanvas } from './page-canvas';
import type { TextMeasurer } from './pdf-fonts';

const SIZE = 8;
const GRAY = 0.35;
const BASELINE = 30;

/** Shortens text with an ellipsis until it fits `width`. */
function fit(text: string, width: number, measurer: TextMeasurer): string {
  if (measurer.width(text, 'regular', SIZE) <= width) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && measurer.width(`${chars.join('')}…`, 'regular', SIZE) > width)
    chars.pop();
  return `${chars.join('')}…`;
}

/**
 * "<label> · page i of n" centred at the foot of every page, so a single printed page still
 * says which attestation it belongs to and whether pages are missing.
 */
export function drawFooters(
  pages: readonly PageCanvas[],
  label: string,
  geometry: PageGeometry,
  measurer: TextMeasurer,
): void {
  const available = geometry.width - geometry.marginLeft - geometry.marginRight;
  pages.forEach((page, index) => {
    const suffix = ` · page ${index + 1} of ${pages.length}`;
    const room = available - measurer.width(suffix, 'regular', SIZE);
    const text = fit(measurer.sanitize(label, 'regular'), room, measurer) + suffix;
    const width = measurer.width(text, 'regular', SIZE);
    page.text({
      text,
      style: 'regular',
      size: SIZE,
      x: geometry.marginLeft + (available - width) / 2,
      y: BASELINE,
      width,
      gray: GRAY,
    });
  });
}
