/**
 * The names of `HasuraCognitoStack`'s outputs: the contract between the stack and the CLIs in
 * hasura-config/, which read them from the file `cdk deploy --outputs-file` writes. Do not rename.
 *
 * No import at all: the CLIs load this module, and loading aws-cdk-lib would cost them a second.
 */
export const STACK_OUTPUTS = {
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  region: 'Region',
  issuer: 'Issuer',
  jwksUrl: 'JwksUrl',
  hasuraJwtSecret: 'HasuraJwtSecret',
  /** The `groupRoles` map as JSON: Cognito group name -> the Hasura role it gives (the users command shows it). */
  groupRoles: 'GroupRoles',
  /** Which token carries the Hasura claims, "access" or "id" (the token command prints that one). */
  tokenUse: 'TokenUse',
  /** Only when machine clients are configured: their ids, comma-separated, in config order. */
  machineClientIds: 'MachineClientIds',
} as const;
