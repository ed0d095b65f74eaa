import type hbs from 'hbs';
import { humanDate, humanInstant, label, plural } from './labels';

/**
 * Handlebars helpers for words instead of codes, used as `{{label status}}`,
 * `{{humanDate dueDate}}`, `{{humanInstant signedAt}}` and `{{plural count "check"}}`.
 * Each returns plain text, which Handlebars escapes as usual.
 */
export function registerViewHelpers(engine: typeof hbs): void {
  engine.registerHelper('label', (code: unknown) => label(typeof code === 'string' ? code : ''));
  engine.registerHelper('humanDate', (day: unknown) =>
    humanDate(typeof day === 'string' ? day : day instanceof Date ? day.toISOString() : ''),
  );
  engine.registerHelper('humanInstant', (instant: unknown) =>
    typeof instant === 'string' || instant instanceof Date ? humanInstant(instant) : '',
  );
  engine.registerHelper('plural', (count: unknown, one: unknown, many: unknown) =>
    plural(Number(count) || 0, String(one), typeof many === 'string' ? many : undefined),
  );
}
