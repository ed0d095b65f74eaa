import type { Response } from 'supertest';

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
  '&#x60;': '`',
  '&#x3D;': '=',
};

/** Undoes Handlebars' escaping (it escapes `=` too, which every base64 value ends with). */
export function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#x27|#39|#x60|#x3D);/g, (entity) => ENTITIES[entity]);
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeHtml(match[1]) : undefined;
}

export interface HtmlForm {
  action: string;
  method: string;
  /** Hidden inputs, name → value. */
  hidden: Record<string, string>;
  /** Submit buttons that carry a value, as [name, value]. */
  buttons: Array<[string, string]>;
}

/** Every <form> in a page, read the way a browser would submit it. */
export function formsIn(html: string): HtmlForm[] {
  return [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map(([form]) => {
    const open = /<form\b[^>]*>/.exec(form)![0];
    const hidden: Record<string, string> = {};
    for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
      if (attribute(input, 'type') !== 'hidden') continue;
      hidden[attribute(input, 'name')!] = attribute(input, 'value') ?? '';
    }
    const buttons: Array<[string, string]> = [];
    for (const [button] of form.matchAll(/<button\b[^>]*>/g)) {
      const name = attribute(button, 'name');
      if (name) buttons.push([name, attribute(button, 'value') ?? '']);
    }
    return {
      action: attribute(open, 'action') ?? '',
      method: (attribute(open, 'method') ?? 'get').toLowerCase(),
      hidden,
      buttons,
    };
  });
}

/** The one form posting to `action`; fails the test if there is none. */
export function formPostingTo(html: string, action: string | RegExp): HtmlForm {
  const form = formsIn(html).find((f) =>
    typeof action === 'string' ? f.action === action : action.test(f.action),
  );
  if (!form) throw new Error(`no form posting to ${String(action)} in:\n${html.slice(0, 500)}`);
  return form;
}

/** The page's CSRF token, from the first form that carries one. */
export function csrfTokenIn(html: string): string {
  const token = formsIn(html).find((f) => f.hidden._csrf)?.hidden._csrf;
  if (!token) throw new Error('no _csrf field on the page');
  return token;
}

/** <script> elements with inline code: the CSP (script-src 'self') would block them. */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attrs, body]) => !/\ssrc=/i.test(` ${attrs}`) || body.trim() !== '')
    .map(([script]) => script);
}

/** Set-Cookie lines of a response, whole (with their attributes). */
export function setCookieLines(res: Response): string[] {
  return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
}

/** `name=value` of the cookie set under `name`, if the response sets one with a value. */
export function cookieNamed(res: Response, name: string): string | undefined {
  return setCookieLines(res)
    .map((line) => line.split(';')[0])
    .find((pair) => pair.startsWith(`${name}=`) && pair.length > name.length + 1);
}
