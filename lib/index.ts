/**
 * The package's public API (`require('hasura-cognito')`): the construct, the stack, their config and
 * its parsers, the JWT secret builder and reader, the stack's output names, and the error classes
 * they throw. Nothing else is public: other modules are internal and may change in any release.
 */

/** The Lambda's claims config (`HASURA_CLAIMS_CONFIG`) and its parser. */
export { type ClaimsConfig, type ClaimsConfigInput, type MachineClientConfig, parseClaimsConfig } from '../lambda/claims-config';
/** The root of every error thrown on purpose, and the error for an invalid config field or input value. */
export { HasuraCognitoError, InvalidInputError } from '../lambda/errors';
/** A Cognito user pool whose tokens Hasura accepts, with its pre token generation Lambda; usable in any stack. */
export { HasuraCognitoAuth, type HasuraCognitoAuthProps } from './hasura-cognito-auth';
/** A deployable stack: one `HasuraCognitoAuth` and the outputs `hasura-config --outputs` reads. */
export { HasuraCognitoStack, type HasuraCognitoStackProps } from './hasura-cognito-stack';
/** The `HASURA_GRAPHQL_JWT_SECRET` value: built for a pool, or read back and checked. */
export {
  buildHasuraJwtSecret,
  type HasuraJwtSecret,
  type HasuraJwtSecretOptions,
  parseHasuraJwtSecret,
  type UserPoolLocation,
} from './hasura-jwt-secret';
/**
 * The config: the construct's options (`HasuraCognitoOptions`, every field of cdk.json's
 * `hasuraCognito` block but `stackName`) and the parsers that validate them and apply the defaults,
 * throwing `InvalidInputError` naming the field.
 */
export {
  type AuthConfig,
  type ExistingResources,
  type HasuraCognitoOptions,
  type PoolOptions,
  parseAuthConfig,
  parseStackConfig,
  type StackConfig,
} from './stack-config';
/** The names of `HasuraCognitoStack`'s outputs. */
export { STACK_OUTPUTS } from './stack-outputs';
