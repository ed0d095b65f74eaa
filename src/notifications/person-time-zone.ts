import { getCountry } from 'countries-and-timezones';

/**
 * Where a country spans several time zones, the zone most of its people live in, and for the
 * regions HR records most often, the region's own zone. Names are IANA (tz database) zones.
 */
const MAIN_ZONE: Readonly<Record<string, string>> = {
  US: 'America/New_York',
  CA: 'America/Toronto',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  MX: 'America/Mexico_City',
  RU: 'Europe/Moscow',
  ID: 'Asia/Jakarta',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon',
  AR: 'America/Argentina/Buenos_Aires',
  CN: 'Asia/Shanghai',
  KZ: 'Asia/Almaty',
  UA: 'Europe/Kyiv',
  NZ: 'Pacific/Auckland',
  CL: 'America/Santiago',
  MY: 'Asia/Kuala_Lumpur',
  EC: 'America/Guayaquil',
  FR: 'Europe/Paris',
  NL: 'Europe/Amsterdam',
  GB: 'Europe/London',
  DK: 'Europe/Copenhagen',
};

const US_PACIFIC = ['CA', 'WA', 'OR', 'NV'];
const US_MOUNTAIN = ['CO', 'UT', 'NM', 'MT', 'WY', 'ID'];
const US_CENTRAL = [
  'TX',
  'IL',
  'MN',
  'WI',
  'MO',
  'IA',
  'LA',
  'AL',
  'MS',
  'AR',
  'OK',
  'KS',
  'NE',
  'SD',
  'ND',
  'TN',
];

/** Region codes (ISO 3166-2 without the country, as HR imports them) with a zone of their own. */
const REGION_ZONE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(US_PACIFIC.map((r) => [`US-${r}`, 'America/Los_Angeles'])),
  ...Object.fromEntries(US_MOUNTAIN.map((r) => [`US-${r}`, 'America/Denver'])),
  ...Object.fromEntries(US_CENTRAL.map((r) => [`US-${r}`, 'America/Chicago'])),
  'US-AZ': 'America/Phoenix',
  'US-AK': 'America/Anchorage',
  'US-HI': 'Pacific/Honolulu',
  'CA-BC': 'America/Vancouver',
  'CA-AB': 'America/Edmonton',
  'CA-MB': 'America/Winnipeg',
  'CA-SK': 'America/Regina',
  'CA-NS': 'America/Halifax',
  'CA-NL': 'America/St_Johns',
  'AU-WA': 'Australia/Perth',
  'AU-QLD': 'Australia/Brisbane',
  'AU-SA': 'Australia/Adelaide',
  'AU-NT': 'Australia/Darwin',
  'AU-VIC': 'Australia/Melbourne',
};

/**
 * A person's time zone, from their country and region: quiet hours are theirs, not the
 * server's. Unknown or missing countries fall back to the rules file's default zone.
 */
export function timeZoneOf(
  country: string | null | undefined,
  region: string | null | undefined,
  fallback: string,
): string {
  if (!country) return fallback;
  const code = country.toUpperCase();
  const regionCode = region
    ?.trim()
    .toUpperCase()
    .replace(/^[A-Z]{2}-/, '');
  if (regionCode && REGION_ZONE[`${code}-${regionCode}`])
    return REGION_ZONE[`${code}-${regionCode}`];
  if (MAIN_ZONE[code]) return MAIN_ZONE[code];
  const zones = getCountry(code as Parameters<typeof getCountry>[0])?.timezones;
  return zones && zones.length > 0 ? zones[0] : fallback;
}
