import { z } from 'zod';
import { BackgroundCheckStatus, BackgroundCheckType } from '../background-check.entity';

/** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision: `US`, `US-CA`, `GB-ENG`. */
export const jurisdictionField = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'use a country code, optionally with a region: US, US-CA');

export const typeField = z.enum(BackgroundCheckType, {
  error: `use one of: ${Object.values(BackgroundCheckType).join(', ')}`,
});

export const statusField = z.enum(BackgroundCheckStatus, {
  error: `use one of: ${Object.values(BackgroundCheckStatus).join(', ')}`,
});

export const providerNameField = z.string().trim().min(1).max(100);
export const providerReferenceField = z.string().trim().min(1).max(200);
