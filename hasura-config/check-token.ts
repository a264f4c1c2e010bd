/**
 * `npm run check-token -- --token JWT (--outputs FILE [--stack NAME] | --region R --user-pool-id ID
 * --client-id C) [--role ROLE] [--endpoint URL]`: what Hasura will do with this token under the
 * generated config. Exit 0: accepted (role and session variables printed); 1: refused (Hasura's
 * code and message, plus advice); 2: bad option or input, or the JWKS cannot be loaded.
 */
import type { Fetcher } from 'aws-jwt-verify/https';
import { parseOptions, POOL_OPTIONS, resolvePoolTarget, stringOption } from './cli-args';
import { reportUsageError, runAsProcess, type CliIo } from './cli-io';
import { HasuraConfigInputError } from './errors';
import { adviceFor } from './advice';
import { evaluateAuthorization } from './evaluate-token';
import { secretForTarget } from './target-secret';
import { httpAndHttpsFetcher, verifySignature } from './verify-signature';

const PROGRAM = 'check-token';

const OPTIONS = {
  ...POOL_OPTIONS,
  token: { type: 'string' },
  role: { type: 'string' },
} as const;

export const USAGE = `Usage: npm run check-token -- --token JWT (--outputs FILE [--stack NAME] | --region R --user-pool-id ID --client-id C ...)
         [--role ROLE] [--endpoint URL] [--token-use access|id] [--namespace NS] [--claims-format stringified_json|json]
Exit status: 0 Hasura accepts the token, 1 Hasura refuses it, 2 bad options or inputs.
`;

export interface CheckTokenIo extends CliIo {
  /** Where the JWKS comes from (default: http(s) fetch). Tests serve an in-memory JWKS. */
  readonly fetcher?: Fetcher;
  /** Seconds since the epoch (default: the clock). */
  readonly now?: () => number;
}

export async function main(argv: readonly string[], io: CheckTokenIo): Promise<number> {
  try {
    const values = parseOptions(argv, OPTIONS);
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const token = stringOption(values, 'token')?.trim();
    if (token === undefined || token === '') throw new HasuraConfigInputError('--token', 'a JWT', 'nothing');
    const role = stringOption(values, 'role');
    const target = resolvePoolTarget(values);
    const secret = secretForTarget(target);
    const now = io.now?.() ?? Date.now() / 1000;
    const fetcher = io.fetcher ?? httpAndHttpsFetcher;

    // The token travels as `Authorization: Bearer <token>`; a pasted "Bearer ..." is taken as is.
    const authorization = token.startsWith('Bearer ') ? token : `Bearer ${token}`;
    const evaluation = await evaluateAuthorization({
      authorization,
      config: secret,
      roleHeader: role,
      now,
      verifySignature: (jwt, decoded) =>
        verifySignature(jwt, decoded, { userPoolId: target.secret.userPoolId, endpoint: target.secret.endpoint, jwksUri: secret.jwk_url }, fetcher),
    });

    const { outcome } = evaluation;
    if (outcome.ok) {
      const lines = ['Hasura accepts this token.', `role: ${outcome.role}`, 'session variables:'];
      for (const [name, value] of Object.entries(outcome.sessionVariables)) lines.push(`  ${name}: ${JSON.stringify(value)}`);
      io.stdout(`${lines.join('\n')}\n`);
      return 0;
    }
    const lines = ['Hasura refuses this token.', `code: ${outcome.code}`, `message: ${outcome.message}`];
    const advice = adviceFor({
      rejection: outcome,
      payload: evaluation.payload,
      secret,
      tokenUse: target.tokenUse,
      role,
      now,
    });
    if (advice !== undefined) lines.push(`advice: ${advice}`);
    io.stdout(`${lines.join('\n')}\n`);
    return 1;
  } catch (error) {
    return reportUsageError(PROGRAM, error, io);
  }
}

if (require.main === module) runAsProcess(main);
