/**
 * What both CLIs and the local flow derive everything from: Hasura's JWT config, the pool whose
 * keys sign the tokens, and which token carries the claims. The CLIs resolve one from options
 * (cli-args.ts); the local flow builds one for its emulator pool with `poolTargetFromIds`.
 */
import type { ClaimsConfig, TokenUse } from '../lambda/claims-config';
import { buildHasuraJwtSecret, type HasuraJwtSecret, type UserPoolLocation } from '../lib/hasura-jwt-secret';

export interface PoolTarget {
  /** The stack's own HasuraJwtSecret (--outputs), or built by buildHasuraJwtSecret from ids. */
  readonly secret: HasuraJwtSecret;
  /** The pool whose keys sign the tokens: named in messages and used for the signature check. */
  readonly pool: UserPoolLocation;
  /** Which token the Lambda puts the claims in; the secret does not record it. */
  readonly tokenUse: TokenUse;
}

/** The claims settings a target needs, as a validated ClaimsConfig has them. */
export type TargetClaims = Pick<ClaimsConfig, 'namespace' | 'claimsFormat' | 'tokenUse'>;

/**
 * The target of a pool given by its ids (explicit options, or the local flow's emulator pool), its
 * secret built by buildHasuraJwtSecret. Validates nothing: callers pass checked ids and a parsed
 * claims config.
 */
export function poolTargetFromIds(pool: UserPoolLocation, clientIds: readonly string[], claims: TargetClaims): PoolTarget {
  const location: UserPoolLocation = { region: pool.region, userPoolId: pool.userPoolId, endpoint: pool.endpoint };
  return {
    secret: buildHasuraJwtSecret({ ...location, clientIds, namespace: claims.namespace, claimsFormat: claims.claimsFormat }),
    pool: location,
    tokenUse: claims.tokenUse,
  };
}
