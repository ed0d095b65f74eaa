import type hbs from 'hbs';
import { humanDate, humanInstant, label, plural } from './labels';

type Helper = (...args: unknown[]) => string;

/**
 * Handlebars looks a bare `{{label}}` up as a helper before the context's own `label`, so a
 * helper called with no argument gives back the context's property of its name: `{{label}}`
 * stays the link's label while `{{label status}}` gives the words for a code.
 */
function withPropertyFallback(name: string, helper: Helper) {
  return function (this: unknown, ...args: unknown[]): unknown {
    // The last argument is always Handlebars' options object.
    if (args.length === 1) return (this as Record<string, unknown> | undefined)?.[name];
    return helper(...args.slice(0, -1));
  };
}

/**
 * Handlebars helpers for words instead of codes, used as `{{label status}}`,
 * `{{humanDate dueDate}}`, `{{humanInstant signedAt}}` and `{{plural count "check"}}`.
 * Each returns plain text, which Handlebars escapes as usual.
 */
export function registerViewHelpers(engine: typeof hbs): void {
  const helpers: Record<string, Helper> = {
    label: (code) => label(typeof code === 'string' ? code : ''),
    humanDate: (day) =>
      humanDate(typeof day === 'string' ? day : day instanceof Date ? day.toISOString() : ''),
    humanInstant: (instant) =>
      typeof instant === 'string' || instant instanceof Date ? humanInstant(instant) : '',
    plural: (count, one, many) =>
      plural(Number(count) || 0, String(one), typeof many === 'string' ? many : undefined),
  };
  for (const [name, helper] of Object.entries(helpers)) {
    engine.registerHelper(name, withPropertyFallback(name, helper));
  }
}
