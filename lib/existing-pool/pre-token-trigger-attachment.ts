/**
 * `PreTokenTriggerAttachment`: attaches a pre token generation trigger to a user pool this app does
 * not own (`UserPool.fromUserPoolId` / `fromUserPoolArn`), where CDK has no `addTrigger`
 * (aws/aws-cdk#10002). A custom resource reads the pool and writes it back with only that trigger
 * changed (lib/existing-pool/user-pool-update.ts), refuses unsafe states, and detaches on delete.
 */
import {
  CustomResource,
  type aws_cognito as cognito,
  custom_resources as cr,
  Duration,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InvalidInputError } from '../../lambda/errors';
import { PRE_TOKEN_GENERATION_HANDLER, poolTriggerCode } from '../lambda-code';
import type { TriggerVersion } from '../stack-config';
import type { AttachmentProperties } from './handler';

/** The CloudFormation type of the custom resource. */
export const PRE_TOKEN_TRIGGER_RESOURCE_TYPE = 'Custom::HasuraCognitoPreTokenTrigger';

const TRIGGER_VERSIONS: readonly TriggerVersion[] = ['V1_0', 'V2_0', 'V3_0'];

export interface PreTokenTriggerAttachmentProps {
  /**
   * The existing pool, e.g. `UserPool.fromUserPoolId`, in this stack's region (the handler calls
   * Cognito in its own region, and a trigger must be in the pool's): HasuraCognitoAuth checks it.
   */
  readonly userPool: cognito.IUserPool;
  /** The pre token generation function to attach; Cognito gets permission to invoke it from this pool only. */
  readonly trigger: lambda.IFunction;
  /** The event version Cognito sends; the deploy fails on a Lite pool for V2_0/V3_0. */
  readonly triggerVersion: TriggerVersion;
  /**
   * The existing app client Hasura accepts tokens from. The deploy fails if users can write, through
   * it, any of `claimAttributes` (a client without a WriteAttributes list lets them write all).
   */
  readonly userPoolClientId?: string;
  /** Every user attribute the claims read (the user id attribute and the session variables' attributes). */
  readonly claimAttributes: readonly string[];
  /**
   * The pool's SMS role (its SmsConfiguration SnsCallerArn or EumsSms CallerArn), if it has one:
   * writing the pool back passes it to Cognito again, which needs iam:PassRole on it. Without it,
   * such a pool fails the deploy with a message naming the role.
   */
  readonly smsRole?: iam.IRole;
}

export class PreTokenTriggerAttachment extends Construct {
  /** The custom resource; its physical id is the user pool id. */
  readonly resource: CustomResource;
  /** The onEvent handler that describes and updates the pool. */
  readonly handler: lambda.Function;
  /** The handler's role: its log group, and the Cognito calls on this pool's ARN only. */
  readonly handlerRole: iam.Role;
  /** CDK's Provider framework that runs `handler` for CloudFormation. */
  readonly provider: cr.Provider;
  /** Cognito's permission to invoke the trigger, limited to this pool; the resource depends on it. */
  readonly invokePermission: lambda.CfnPermission;

  constructor(scope: Construct, id: string, props: PreTokenTriggerAttachmentProps) {
    super(scope, id);
    if (!TRIGGER_VERSIONS.includes(props.triggerVersion)) {
      throw new InvalidInputError('triggerVersion', TRIGGER_VERSIONS.join(', '), JSON.stringify(props.triggerVersion));
    }
    for (const attribute of props.claimAttributes) {
      if (typeof attribute !== 'string' || attribute === '')
        throw new InvalidInputError('claimAttributes', 'attribute names', JSON.stringify(attribute));
    }
    const poolArn = props.userPool.userPoolArn;

    this.invokePermission = new lambda.CfnPermission(this, 'CognitoInvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: props.trigger.functionArn,
      principal: 'cognito-idp.amazonaws.com',
      sourceArn: poolArn,
    });

    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Only what the handler calls, on this pool only; no managed policy (AWSLambdaBasicExecutionRole
    // would allow writing to every log group).
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Attaches the Hasura pre token generation trigger to one existing user pool',
    });
    const role = this.handlerRole;
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'cognito-idp:DescribeUserPool',
          'cognito-idp:UpdateUserPool',
          ...(props.userPoolClientId !== undefined ? ['cognito-idp:DescribeUserPoolClient'] : []),
        ],
        resources: [poolArn],
      }),
    );
    if (props.smsRole !== undefined) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [props.smsRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'cognito-idp.amazonaws.com' } },
        }),
      );
    }

    const runtime = lambda.Runtime.NODEJS_24_X;
    this.handler = new lambda.Function(this, 'Handler', {
      code: poolTriggerCode(runtime),
      handler: PRE_TOKEN_GENERATION_HANDLER,
      description: 'Attaches the Hasura pre token generation trigger to an existing user pool (read-merge-write)',
      runtime,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.minutes(2),
      memorySize: 256,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      role,
    });

    // CDK's Provider framework function, with a role of its own instead of the default one (which
    // carries AWSLambdaBasicExecutionRole): its log group, and what the Provider grants on the handler.
    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const frameworkRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'CDK Provider framework: invokes the pre token trigger attachment handler and writes its own log group',
    });
    frameworkLogs.grantWrite(frameworkRole);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler,
      logGroup: frameworkLogs,
      frameworkOnEventRole: frameworkRole,
    });
    Validations.of(frameworkRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve(Stack.of(this).getLogicalId(this.handler.node.defaultChild as lambda.CfnFunction))}.Arn>:*]`,
      reason:
        "CDK's Provider framework grants its function lambda:InvokeFunction on the onEvent handler's ARN and ARN:* (grantInvoke covers versions and aliases); the handler is this construct's own function, so the wildcard reaches nothing else.",
    });

    const properties: AttachmentProperties = {
      UserPoolId: props.userPool.userPoolId,
      FunctionArn: props.trigger.functionArn,
      LambdaVersion: props.triggerVersion,
      ...(props.userPoolClientId !== undefined
        ? { UserPoolClientId: props.userPoolClientId, ClaimAttributes: [...props.claimAttributes] }
        : {}),
      ...(props.smsRole !== undefined ? { SmsRoleArns: [props.smsRole.roleArn] } : {}),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: PRE_TOKEN_TRIGGER_RESOURCE_TYPE,
      properties: { ...properties },
    });
    // The trigger must be invocable before Cognito calls it, and stay so until it is detached.
    this.resource.node.addDependency(this.invokePermission);
  }
}
