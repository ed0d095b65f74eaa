import { readFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BackgroundCheckKeyRotation } from '../background-checks/background-check-key-rotation';
import { DataCipher, keyIdFor } from '../common/crypto/data-cipher';
import { OperatorError } from '../common/errors/operator.error';
import type { AppConfig } from '../config/app-config';
import { withOrm } from './cli-context';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io';

export interface KeysRotateOptions {
  /** Files holding a retired key each (base64 of 32 bytes), read for this run only. */
  previousKeyFiles?: string[];
}

/** Reads a key file as written by `openssl rand -base64 32 > key`; never prints the key. */
export function readKeyFile(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new OperatorError(
      `Cannot read the key file ${path}. Check the path and its permissions.`,
    );
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text) {
    throw new OperatorError(`${path} must hold one base64 encoded 32-byte key and nothing else.`);
  }
  return key;
}

/** The rotation itself, given an ORM's EntityManager: what the command and its tests run. */
export async function rotateKeys(
  em: EntityManager,
  currentKey: Buffer,
  options: KeysRotateOptions,
  io: CliIo,
): Promise<number> {
  const previous = (options.previousKeyFiles ?? []).map(readKeyFile);
  const cipher = new DataCipher({ current: currentKey, previous });
  io.out(`Re-encrypting background check details under key ${keyIdFor(currentKey)}.`);
  const result = await new BackgroundCheckKeyRotation(em, cipher).rotate((batch) =>
    io.out(
      `  ${batch.rowsScanned} row(s) checked, ${batch.valuesReencrypted} value(s) re-encrypted`,
    ),
  );
  io.out(
    `Done: ${result.rowsScanned} row(s) checked, ${result.valuesReencrypted} value(s) re-encrypted.`,
  );
  if (result.failures.length === 0) return EXIT_OK;
  io.err(`${result.failures.length} value(s) could not be re-encrypted:`);
  result.failures.forEach((f) =>
    io.err(`  background check ${f.checkId} ${f.field}: ${f.problem}`),
  );
  io.err('Supply the missing key with --previous-key-file and run the command again.');
  return EXIT_FAILED;
}

/**
 * `attest keys rotate`: re-encrypts stored values under DATA_ENCRYPTION_KEY. Retired keys
 * come from files rather than the environment: they are needed only for this run.
 */
export function runKeysRotate(
  config: AppConfig,
  options: KeysRotateOptions,
  io: CliIo,
): Promise<number> {
  return withOrm(config, (orm) =>
    rotateKeys(orm.em, config.secrets.dataEncryptionKey, options, io),
  );
}
