import { join } from 'node:path';
import { loadYamlFile, parseYamlFile, type YamlFileKind } from '../common/yaml/yaml-file.loader';
import type { RetentionPolicy } from './retention-policy';
import { retentionFileSchema, toRetentionPolicy } from './retention-policy.schema';
import { RetentionFileInvalid } from './retention.errors';

export const RETENTION_FILE_NAME = 'retention.yml';

/** The checkout's own policy, as shipped. */
export const DEFAULT_RETENTION_FILE = join(__dirname, '..', '..', 'policies', RETENTION_FILE_NAME);

const retentionFile: YamlFileKind<typeof retentionFileSchema, RetentionPolicy> = {
  schema: retentionFileSchema,
  listKey: 'retention',
  unknownKeyHint: 'check its spelling against the comments at the top of the file',
  invalid: RetentionFileInvalid,
  build: toRetentionPolicy,
};

/** Reads and validates the retention policy; throws {@link RetentionFileInvalid} naming every line. */
export function loadRetentionPolicy(path: string): RetentionPolicy {
  return loadYamlFile(path, retentionFile);
}

/** Parses a retention policy from YAML text. `fileName` only labels the error messages. */
export function parseRetentionPolicy(text: string, fileName: string): RetentionPolicy {
  return parseYamlFile(text, fileName, retentionFile);
}
