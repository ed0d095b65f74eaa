import type { WeeklyCompletions } from './onboarding.repository';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 40, right: 10, top: 10, bottom: 40 };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Every Monday from `from` to `to` (YYYY-MM-DD), so weeks without completions show as zero. */
export function weeksBetween(from: string, to: string): string[] {
  const weeks: string[] = [];
  const day = new Date(`${from}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  const end = new Date(`${to}T00:00:00Z`);
  while (day <= end) {
    weeks.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 7);
  }
  return weeks;
}

/**
 * A bar chart of completions per week, drawn on the server as SVG: no script, no inline style
 * (the CSP forbids both), with a title and description for screen readers.
 */
export function completionChartSvg(
  data: readonly WeeklyCompletions[],
  weeks: readonly string[],
): string {
  const counts = new Map(data.map((d) => [d.week, d.count]));
  const values = weeks.map((w) => counts.get(w) ?? 0);
  const max = Math.max(1, ...values);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, weeks.length);
  const bars = values
    .map((v, i) => {
      const h = (v / max) * plotH;
      const x = PAD.left + i * slot + slot * 0.1;
      const y = PAD.top + plotH - h;
      return `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}"><title>${escape(weeks[i])}: ${v}</title></rect>`;
    })
    .join('');
  const labels = weeks
    .map((w, i) =>
      i % 4 === 0
        ? `<text class="axis" x="${(PAD.left + i * slot).toFixed(1)}" y="${HEIGHT - 20}">${escape(w.slice(5))}</text>`
        : '',
    )
    .join('');
  const total = values.reduce((a, b) => a + b, 0);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" class="chart">
<title id="chart-title">Completions per week</title>
<desc id="chart-desc">${total} completions over ${weeks.length} weeks, at most ${max} in one week.</desc>
<line class="axis-line" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}"/>
<text class="axis" x="4" y="${PAD.top + 10}">${max}</text><text class="axis" x="4" y="${PAD.top + plotH}">0</text>
${bars}${labels}</svg>`;
}
