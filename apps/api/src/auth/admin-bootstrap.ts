import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AccessTokens, type BootstrapOutcome } from '#application';
import { Environment } from '#config';

/**
 * The first admin, at start: from `BOOTSTRAP_ADMIN_TOKEN`, or, when it is unset and no admin is
 * active, a new token printed once on stdout (framed, as Jupyter prints its login token).
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AccessTokens');

  constructor(
    private readonly tokens: AccessTokens,
    private readonly env: Environment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const outcome = await this.tokens.bootstrapAdmin(this.env.BOOTSTRAP_ADMIN_TOKEN);
    this.report(outcome);
  }

  private report(outcome: BootstrapOutcome): void {
    switch (outcome.kind) {
      case 'created-from-setting':
        this.logger.log(`created the first admin token (${outcome.id}) from BOOTSTRAP_ADMIN_TOKEN`);
        return;
      case 'setting-already-known':
        if (outcome.status !== 'active') this.logger.warn(`BOOTSTRAP_ADMIN_TOKEN is ${outcome.status}; it stays so`);
        return;
      case 'setting-ignored-admin-exists':
        this.logger.warn('BOOTSTRAP_ADMIN_TOKEN ignored: an admin token is already active (issue tokens with POST /api/admin/tokens)');
        return;
      case 'admin-exists':
        return;
      case 'generated':
        process.stdout.write(framedToken(outcome.token));
        return;
      default: {
        const exhaustive: never = outcome;
        throw new Error(`unexpected bootstrap outcome ${JSON.stringify(exhaustive)}`);
      }
    }
  }
}

/** The message printed once when the server creates the first admin token itself. */
export function framedToken(token: string): string {
  const rule = '='.repeat(78);
  return [
    '',
    rule,
    '  No admin access token existed, so one was created. It is shown this once and',
    '  stored only as a hash: copy it now. Call the API with the header',
    '',
    `      Authorization: Bearer ${token}`,
    '',
    '  and issue tokens for people with POST /api/admin/tokens. In production, set',
    '  BOOTSTRAP_ADMIN_TOKEN instead, or capture this output.',
    rule,
    '',
    '',
  ].join('\n');
}
