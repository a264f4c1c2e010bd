/**
 * The deployable stack: `HasuraCognitoAuth` plus the outputs the generator (hasura-config/) reads.
 * It reads no context itself; bin/app.ts passes cdk.json's block in as `auth`.
 */
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { HasuraCognitoAuth, type HasuraCognitoAuthProps } from './hasura-cognito-auth';
import { STACK_OUTPUTS } from './stack-outputs';

/** `StackProps` plus the props of its `HasuraCognitoAuth`. */
export interface HasuraCognitoStackProps extends StackProps {
  /** The props of the stack's `HasuraCognitoAuth`: every default when absent. */
  readonly auth?: HasuraCognitoAuthProps;
}

/** A stack holding one `HasuraCognitoAuth` (`auth`) and the outputs named by `STACK_OUTPUTS`, which `hasura-config --outputs` reads. */
export class HasuraCognitoStack extends Stack {
  readonly auth: HasuraCognitoAuth;

  constructor(scope: Construct, id: string, props: HasuraCognitoStackProps = {}) {
    const { auth: authProps, ...stackProps } = props;
    super(scope, id, stackProps);
    this.auth = new HasuraCognitoAuth(this, 'Auth', authProps);
    const auth = this.auth;

    new CfnOutput(this, STACK_OUTPUTS.userPoolId, { value: auth.userPool.userPoolId, description: 'Cognito user pool id' });
    new CfnOutput(this, STACK_OUTPUTS.userPoolClientId, {
      value: auth.userPoolClient.userPoolClientId,
      description: 'Public app client id that users sign in with',
    });
    new CfnOutput(this, STACK_OUTPUTS.region, { value: this.region, description: 'Region of the user pool' });
    new CfnOutput(this, STACK_OUTPUTS.issuer, { value: auth.issuer, description: "iss of the pool's tokens" });
    new CfnOutput(this, STACK_OUTPUTS.jwksUrl, { value: auth.jwksUrl, description: 'JSON Web Key Set of the pool' });
    new CfnOutput(this, STACK_OUTPUTS.hasuraJwtSecret, {
      value: auth.hasuraJwtSecret,
      description: 'Value for HASURA_GRAPHQL_JWT_SECRET',
    });
    new CfnOutput(this, STACK_OUTPUTS.groupRoles, {
      value: JSON.stringify(auth.config.claims.groupRoles),
      description: 'Cognito group -> Hasura role (JSON)',
    });
    new CfnOutput(this, STACK_OUTPUTS.tokenUse, {
      value: auth.config.claims.tokenUse,
      description: 'The token that carries the Hasura claims',
    });
    const machineClients = Object.values(auth.machineClients);
    if (machineClients.length > 0) {
      new CfnOutput(this, STACK_OUTPUTS.machineClientIds, {
        value: Fn.join(
          ',',
          machineClients.map((client) => client.userPoolClientId),
        ),
        description: 'Confidential (client-credentials) app client ids, comma-separated',
      });
    }
  }
}
