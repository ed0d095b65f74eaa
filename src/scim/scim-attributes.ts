import { invalidValue } from './scim.errors';
import type { ScimResource } from './scim-user.mapper';

/** RFC 7643 §7: returned "always", whatever `attributes` or `excludedAttributes` say. */
const ALWAYS = new Set(['schemas', 'id']);

function paths(list: string | undefined): string[][] | undefined {
  if (list === undefined || list.trim() === '') return undefined;
  if (list.length > 2000) throw invalidValue('The attribute list is over 2,000 characters.');
  return list.split(',').map((entry) => {
    const name = entry.trim();
    // An extension attribute is written with its schema URN: "urn:…:User:employeeNumber".
    const urn = /^(urn:.*):([^:]+)$/i.exec(name);
    return urn ? [urn[1], ...urn[2].split('.')] : name.split('.');
  });
}

function find(resource: ScimResource, name: string): string | undefined {
  return Object.keys(resource).find((k) => k.toLowerCase() === name.toLowerCase());
}

function pick(resource: ScimResource, path: string[], into: ScimResource): void {
  const key = find(resource, path[0]);
  if (key === undefined) return;
  const value = resource[key];
  if (path.length === 1 || typeof value !== 'object' || value === null) {
    into[key] = value;
    return;
  }
  if (Array.isArray(value)) {
    into[key] = value.map((item: ScimResource) => {
      const sub: ScimResource = {};
      pick(item, path.slice(1), sub);
      return sub;
    });
    return;
  }
  const sub = (into[key] as ScimResource | undefined) ?? {};
  pick(value as ScimResource, path.slice(1), sub);
  into[key] = sub;
}

function drop(resource: ScimResource, path: string[]): void {
  const key = find(resource, path[0]);
  if (key === undefined || (path.length === 1 && ALWAYS.has(key))) return;
  if (path.length === 1) {
    delete resource[key];
    return;
  }
  const value = resource[key];
  if (Array.isArray(value)) value.forEach((item: ScimResource) => drop(item, path.slice(1)));
  else if (typeof value === 'object' && value !== null) drop(value as ScimResource, path.slice(1));
}

/** RFC 7644 §3.4.2.5: the resource with only `attributes`, or without `excludedAttributes`. */
export function project(
  resource: ScimResource,
  attributes: string | undefined,
  excludedAttributes: string | undefined,
): ScimResource {
  const wanted = paths(attributes);
  if (wanted) {
    const out: ScimResource = {};
    for (const key of Object.keys(resource)) if (ALWAYS.has(key)) out[key] = resource[key];
    for (const path of wanted) pick(resource, path, out);
    return out;
  }
  const unwanted = paths(excludedAttributes);
  if (!unwanted) return resource;
  const out = structuredClone(resource);
  for (const path of unwanted) drop(out, path);
  return out;
}

/** Whether the projection keeps `attribute` (so a list can skip reading it). */
export function keeps(
  attribute: string,
  attributes: string | undefined,
  excludedAttributes: string | undefined,
): boolean {
  const wanted = paths(attributes);
  if (wanted) return wanted.some((p) => p[0].toLowerCase() === attribute.toLowerCase());
  const unwanted = paths(excludedAttributes);
  return !unwanted?.some((p) => p.length === 1 && p[0].toLowerCase() === attribute.toLowerCase());
}
