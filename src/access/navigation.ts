import { Permission } from './permission';
import type { Principal } from './principal';

export interface NavigationLink {
  readonly label: string;
  readonly href: string;
  /** The area the current page belongs to (`aria-current`). */
  readonly current?: boolean;
}

/** What the page header shows: the areas the principal's permissions open, and sign-in or out. */
export interface NavigationView {
  readonly signedIn: boolean;
  /** The person's own work. */
  readonly yours: readonly NavigationLink[];
  /** The areas their roles open (HR, auditors, admins). */
  readonly areas: readonly NavigationLink[];
  /** For the sign-out form. */
  readonly csrfToken?: string;
  /**
   * Where a nested page sits (GOV.UK breadcrumbs): the areas above it, the page's own title
   * following in the layout. Empty on an area's own page.
   */
  readonly breadcrumbs: readonly NavigationLink[];
}

interface Area extends NavigationLink {
  readonly group: 'yours' | 'areas';
  /** The permission the page at `href` declares: a link is shown only where it opens. */
  readonly permission: Permission;
  /** Not shown to whoever holds this one (they get a link that goes further). */
  readonly unless?: Permission;
}

/**
 * Every area a person may reach, from the same permissions the guard checks, so the header
 * never shows a link that answers 403 and no area is reachable only by typing its address. A
 * test holds each `permission` to the one its route declares.
 */
export const NAVIGATION: readonly Area[] = [
  { group: 'yours', label: 'My tasks', href: '/me', permission: Permission.SelfRead },
  { group: 'yours', label: 'My documents', href: '/documents', permission: Permission.SelfRead },
  { group: 'yours', label: 'My training', href: '/training', permission: Permission.SelfRead },
  { group: 'yours', label: 'My history', href: '/me/history', permission: Permission.SelfRead },
  { group: 'areas', label: 'People', href: '/people', permission: Permission.PersonRead },
  {
    group: 'areas',
    label: 'Onboarding',
    href: '/onboarding',
    permission: Permission.RequirementRead,
  },
  {
    group: 'areas',
    label: 'Background checks',
    href: '/background-checks',
    permission: Permission.BackgroundCheckStatusRead,
  },
  {
    group: 'areas',
    label: 'Signatures',
    href: '/document-signatures',
    permission: Permission.SignatureRead,
  },
  // The outbox: reminders and escalations, sent, failed or suppressed.
  {
    group: 'areas',
    label: 'Notifications',
    href: '/notifications',
    permission: Permission.NotificationRead,
  },
  // The auditors' landing page: populations, samples, evidence by control, exports, audit log.
  { group: 'areas', label: 'Auditors', href: '/auditors', permission: Permission.PersonRead },
  { group: 'areas', label: 'Exports', href: '/exports', permission: Permission.ExportCreate },
  { group: 'areas', label: 'Audit log', href: '/audit', permission: Permission.AuditRead },
  { group: 'areas', label: 'Admin', href: '/admin', permission: Permission.AdminRead },
  // An admin who has not verified their authenticator in this session is taken there first.
  {
    group: 'areas',
    label: 'Admin',
    href: '/auth/totp',
    permission: Permission.TotpManage,
    unless: Permission.AdminRead,
  },
];

/** Whether `path` is `href` or a page below it. */
const within = (path: string, href: string) => path === href || path.startsWith(`${href}/`);

/**
 * The header for this principal on the page at `path`; anonymous visitors get a way to sign
 * in. The area holding the page is marked current, and a page below an area gets breadcrumbs.
 */
export function navigationFor(principal: Principal | undefined, path = '/'): NavigationView {
  if (!principal) return { signedIn: false, yours: [], areas: [], breadcrumbs: [] };
  const open = NAVIGATION.filter(
    (area) =>
      principal.permissions.has(area.permission) &&
      !(area.unless && principal.permissions.has(area.unless)),
  );
  // The deepest open area holding the page: /me/history is My history, not My tasks.
  const holder = open
    .filter((area) => within(path, area.href))
    .reduce<Area | undefined>(
      (best, area) => (best && best.href.length >= area.href.length ? best : area),
      undefined,
    );
  const links = (group: Area['group']) =>
    open
      .filter((area) => area.group === group)
      .map(({ label, href }) =>
        href === holder?.href ? { label, href, current: true } : { label, href },
      );
  const home = open.find((area) => area.href === '/me');
  const breadcrumbs =
    holder && path !== holder.href
      ? [...(home && home !== holder ? [home] : []), holder].map(({ label, href }) => ({
          label,
          href,
        }))
      : [];
  return {
    signedIn: true,
    yours: links('yours'),
    areas: links('areas'),
    csrfToken: principal.csrfToken,
    breadcrumbs,
  };
}
