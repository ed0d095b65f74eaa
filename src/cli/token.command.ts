import { AuditEventRepository } from '../audit/audit-event.repository';
import { AuditService } from '../audit/audit.service';
import { ApiTokenRepository } from '../api-tokens/api-token.repository';
import { ApiTokensService, type CreateApiTokenInput } from '../api-tokens/api-tokens.service';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { withOrm } from './cli-context';
import { type CliIo, EXIT_OK } from './cli-io';

/** Whoever runs the CLI has shell access to the server: the audit log records them as `cli`. */
const CLI_ACTOR = 'cli';

type TokenAction = (tokens: ApiTokensService, io: CliIo) => Promise<number>;

export const createToken =
  (input: CreateApiTokenInput): TokenAction =>
  async (tokens, io) => {
    const { secret, token } = await tokens.create(CLI_ACTOR, input);
    io.out(
      `Created ${token.role} token "${token.name}"${token.expiresAt ? `, expiring ${token.expiresAt}` : ''}.`,
    );
    io.out('Copy it now: Attest stores only its hash and cannot show it again.');
    io.out('');
    io.out(secret);
    return EXIT_OK;
  };

export const revokeToken =
  (name: string): TokenAction =>
  async (tokens, io) => {
    await tokens.revoke(CLI_ACTOR, name);
    io.out(
      `Revoked token "${name.trim().toLowerCase()}". Requests using it are refused from now on.`,
    );
    return EXIT_OK;
  };

export const listTokens = (): TokenAction => async (tokens, io) => {
  const all = await tokens.list();
  if (all.length === 0) io.out('There are no API tokens.');
  for (const t of all) {
    const state = t.revokedAt
      ? `revoked ${t.revokedAt}`
      : t.expiresAt
        ? `expires ${t.expiresAt}`
        : 'no expiry';
    io.out(
      `${t.name}\t${t.role}\tcreated ${t.createdAt}\t${state}\tlast used ${t.lastUsedAt ?? 'never'}`,
    );
  }
  return EXIT_OK;
};

/** `attest token create|revoke|list`. */
export function runToken(config: AppConfig, action: TokenAction, io: CliIo): Promise<number> {
  return withOrm(config, (orm) => {
    const clock = new Clock();
    const tokens = new ApiTokensService(
      new ApiTokenRepository(orm.em),
      new AuditService(new AuditEventRepository(orm.em), clock),
      clock,
    );
    return action(tokens, io);
  });
}
