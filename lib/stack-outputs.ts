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
  /** Only when machine clients are configured: their ids, comma-separated, in config order. */
  machineClientIds: 'MachineClientIds',
} as const;
