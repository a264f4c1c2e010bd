/**
 * The HASURA_GRAPHQL_JWT_SECRET value for a resolved target, checked against the deployed stack's
 * own `HasuraJwtSecret` output when there is one: a config that differs from what the stack's
 * Lambda emits would reject every token, so a mismatch is an input error, not a silent surprise.
 */
import { isDeepStrictEqual } from 'node:util';
import { buildHasuraJwtSecret, type HasuraJwtSecret } from '../lib/hasura-jwt-secret';
import { HasuraConfigInputError } from './errors';
import type { PoolTarget } from './cli-args';
import { quotedJson } from './terminal-text';

export function secretForTarget(target: PoolTarget): HasuraJwtSecret {
  const secret = buildHasuraJwtSecret(target.secret);
  const deployed = target.stackSecret;
  if (deployed !== undefined) {
    const generated = secret as unknown as Record<string, unknown>;
    const fields = new Set([...Object.keys(generated), ...Object.keys(deployed)]);
    for (const field of fields) {
      if (!isDeepStrictEqual(generated[field], deployed[field])) {
        throw new HasuraConfigInputError(
          `${target.stackSecretSubject ?? 'HasuraJwtSecret'} field ${field}`,
          `${quotedJson(generated[field]) ?? 'nothing'} (what the options give)`,
          quotedJson(deployed[field]) ?? 'nothing',
        );
      }
    }
  }
  return secret;
}
