import { getCountry } from 'countries-and-timezones';
import { z } from 'zod';
import {
  ANCHORS_OF,
  type CountryRetention,
  type DurationUnit,
  EEA_COUNTRIES,
  KINDS_BY_COUNTRY,
  type KindRetention,
  RETENTION_KINDS,
  RetentionAnchor,
  RetentionKind,
  type RetentionPolicy,
  type RetentionRule,
} from './retention-policy';

const DURATION = /^(\d{1,5}) (day|days|month|months|year|years)$/;

/** `90 days`, `6 months`, `7 years`, or `forever`; at most 100 years. */
const duration = z
  .string({ error: 'must be a duration such as "90 days", "6 months" or "7 years", or forever' })
  .transform((text, ctx) => {
    if (text === 'forever') return null;
    const match = DURATION.exec(text);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration such as "90 days", "6 months" or "7 years", or forever (not "${text}")`,
      });
      return z.NEVER;
    }
    const amount = Number(match[1]);
    const unit = (match[2].endsWith('s') ? match[2] : `${match[2]}s`) as DurationUnit;
    const years = unit === 'years' ? amount : unit === 'months' ? amount / 12 : amount / 365;
    if (years > 100) {
      ctx.addIssue({ code: 'custom', message: 'must be at most 100 years; use forever instead' });
      return z.NEVER;
    }
    return { amount, unit };
  });

const anchors = Object.values(RetentionAnchor) as [RetentionAnchor, ...RetentionAnchor[]];

const ruleSchema = z.strictObject(
  {
    keep: duration,
    after: z.enum(anchors, { error: `must be one of ${anchors.join(', ')}` }),
  },
  { error: 'must be a map such as { keep: 7 years, after: end_date }' },
);

const isCountryKey = (key: string) =>
  key === 'EEA' || (/^[A-Z]{2}$/.test(key) && getCountry(key) !== null);

/** One kind's entry; what it may count from and whether it may differ by country depend on it. */
function kindSchema(kind: RetentionKind) {
  const allowed = ANCHORS_OF[kind];
  return z
    .strictObject(
      {
        keep: duration,
        after: z.enum(anchors, { error: `must be one of ${anchors.join(', ')}` }),
        countries: z
          .record(z.string(), ruleSchema, {
            error:
              'must be a map of country codes, such as { US: { keep: 5 years, after: completion } }',
          })
          .optional(),
      },
      { error: 'must be a map such as { keep: 7 years, after: end_date }' },
    )
    .superRefine((entry, ctx) => {
      const anchorIssue = (path: string[], after: RetentionAnchor) => {
        if (!allowed.includes(after)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'after'],
            message: `must be ${allowed.join(' or ')} for ${kind} (not ${after})`,
          });
        }
      };
      anchorIssue([], entry.after);
      const countries = Object.entries(entry.countries ?? {});
      if (countries.length > 0 && !KINDS_BY_COUNTRY.has(kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['countries'],
          message: `cannot differ by country for ${kind}: its records are not one person's`,
        });
        return;
      }
      for (const [key, rule] of countries) {
        if (!isCountryKey(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['countries', key],
            message:
              'is not a country: use a two-letter upper-case code (ISO 3166-1) such as US, or EEA',
          });
        }
        anchorIssue(['countries', key], rule.after);
      }
    });
}

const kindsShape = Object.fromEntries(
  RETENTION_KINDS.map((kind) => [kind, kindSchema(kind)]),
) as Record<RetentionKind, ReturnType<typeof kindSchema>>;

export const retentionFileSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'must be 1' }),
    retention: z.strictObject(kindsShape, {
      error: `must be a map with an entry for each of ${RETENTION_KINDS.join(', ')}`,
    }),
  },
  { error: 'must be a map with version: 1 and retention:' },
);

export type RetentionFileContent = z.output<typeof retentionFileSchema>;

export function toRetentionPolicy(content: RetentionFileContent): RetentionPolicy {
  const rule = (r: { keep: RetentionRule['keep']; after: RetentionAnchor }): RetentionRule => ({
    keep: r.keep,
    after: r.after,
  });
  return Object.fromEntries(
    RETENTION_KINDS.map((kind): [RetentionKind, KindRetention] => {
      const entry = content.retention[kind];
      const keyed = Object.entries(entry.countries ?? {});
      // A country named on its own beats the EEA group it belongs to.
      const named = new Set(keyed.map(([key]) => key));
      const exceptions = keyed.map(([key, r]): CountryRetention => ({
        key,
        countries: key === 'EEA' ? EEA_COUNTRIES.filter((c) => !named.has(c)) : [key],
        rule: rule(r),
      }));
      return [kind, { rule: rule(entry), exceptions }];
    }),
  ) as RetentionPolicy;
}
