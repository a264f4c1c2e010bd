/**
 * The onEvent handler of `PreTokenTriggerAttachment`'s custom resource (CDK's Provider framework
 * sends CloudFormation's response): it attaches the pre token generation trigger to an existing
 * pool by read-merge-write, and on delete detaches it if it is still this resource's.
 *
 * PhysicalResourceId is the user pool id. An update that names another pool returns a new id, so
 * CloudFormation treats it as a replacement and afterwards sends a Delete with the old properties,
 * which detaches the trigger from the old pool.
 *
 * The Cognito client is injected (a factory) so the end-to-end test can point it at cognito-local;
 * in Lambda it is the AWS SDK v3 of the Node.js runtime (the bundle keeps @aws-sdk external).
 */
import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidInputError } from '../../lambda/errors';
import {
  checkClientWriteAttributes,
  checkEverySettingModeled,
  checkFeaturePlan,
  checkNoOtherPreTokenTrigger,
  checkSmsRolePassable,
  type PreTokenLambdaVersion,
  preTokenTriggerArn,
  updateUserPoolInput,
  withoutPreTokenTrigger,
  withPreTokenTrigger,
} from './user-pool-update';

/** The custom resource's properties, as the construct writes them (CloudFormation passes strings and string lists). */
export interface AttachmentProperties {
  readonly UserPoolId: string;
  readonly FunctionArn: string;
  readonly LambdaVersion: string;
  /** The app client Hasura accepts tokens from; its WriteAttributes are checked. */
  readonly UserPoolClientId?: string;
  /** Every user attribute the Hasura claims read. */
  readonly ClaimAttributes?: readonly string[];
  /** Roles this resource may pass to Cognito: the pool's SMS role, when it has one. */
  readonly SmsRoleArns?: readonly string[];
}

interface EventBase {
  readonly ServiceToken?: string;
  readonly ResourceProperties: AttachmentProperties & { readonly ServiceToken?: string };
}
export type AttachmentEvent =
  | (EventBase & { readonly RequestType: 'Create' })
  | (EventBase & {
      readonly RequestType: 'Update';
      readonly PhysicalResourceId: string;
      readonly OldResourceProperties: AttachmentProperties;
    })
  | (EventBase & { readonly RequestType: 'Delete'; readonly PhysicalResourceId: string });

export interface AttachmentResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly UserPoolId: string; readonly PreviousPreTokenTriggerArn: string };
}

export type CognitoClientFactory = () => CognitoIdentityProviderClient;

const LAMBDA_VERSIONS: readonly PreTokenLambdaVersion[] = ['V1_0', 'V2_0', 'V3_0'];

export function createOnEventHandler(clientFactory: CognitoClientFactory): (event: AttachmentEvent) => Promise<AttachmentResponse> {
  return async (event) => {
    const cognito = clientFactory();
    const props = event.ResourceProperties;
    if (event.RequestType === 'Delete') return detach(cognito, props, event.PhysicalResourceId);
    // On an update of the same pool, the ARN this resource attached before is ours too.
    const previous =
      event.RequestType === 'Update' && event.OldResourceProperties.UserPoolId === props.UserPoolId
        ? event.OldResourceProperties.FunctionArn
        : undefined;
    return attach(cognito, props, previous);
  };
}

async function attach(
  cognito: CognitoIdentityProviderClient,
  props: AttachmentProperties,
  previousArn: string | undefined,
): Promise<AttachmentResponse> {
  const version = lambdaVersion(props.LambdaVersion);
  const { pool, raw } = await describePool(cognito, props.UserPoolId);
  const ours = previousArn === undefined || previousArn === props.FunctionArn ? [props.FunctionArn] : [props.FunctionArn, previousArn];
  checkNoOtherPreTokenTrigger(pool, ours);
  checkFeaturePlan(pool, version);
  checkSmsRolePassable(pool, props.SmsRoleArns ?? []);
  checkEverySettingModeled(raw, pool);
  if (props.UserPoolClientId !== undefined && props.UserPoolClientId !== '') {
    const { UserPoolClient: client } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: props.UserPoolId, ClientId: props.UserPoolClientId }),
    );
    if (client === undefined)
      throw new InvalidInputError('UserPoolClientId', `an app client of ${props.UserPoolId}`, props.UserPoolClientId);
    checkClientWriteAttributes(props.UserPoolId, client, props.ClaimAttributes ?? []);
  }
  const lambdaConfig = withPreTokenTrigger(pool.LambdaConfig, props.FunctionArn, version);
  await cognito.send(new UpdateUserPoolCommand(updateUserPoolInput(pool, lambdaConfig)));
  return {
    PhysicalResourceId: props.UserPoolId,
    Data: { UserPoolId: props.UserPoolId, PreviousPreTokenTriggerArn: preTokenTriggerArn(pool.LambdaConfig) ?? '' },
  };
}

/**
 * Restores the pool's pre token trigger configuration from before this resource: none, since
 * `attach` refuses a pool with another trigger. Only a trigger that is still this resource's is
 * removed; a pool that is gone, or whose trigger somebody else has set since, is left as it is.
 */
async function detach(
  cognito: CognitoIdentityProviderClient,
  props: AttachmentProperties,
  physicalId: string,
): Promise<AttachmentResponse> {
  // A failed create may leave no pool id behind (the Provider framework then reports its own id).
  if (physicalId !== props.UserPoolId) return { PhysicalResourceId: physicalId };
  let described: { pool: UserPoolType; raw: unknown };
  try {
    described = await describePool(cognito, props.UserPoolId);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return { PhysicalResourceId: physicalId };
    throw error;
  }
  const { pool, raw } = described;
  if (preTokenTriggerArn(pool.LambdaConfig) !== props.FunctionArn) return { PhysicalResourceId: physicalId };
  checkSmsRolePassable(pool, props.SmsRoleArns ?? []);
  checkEverySettingModeled(raw, pool);
  await cognito.send(new UpdateUserPoolCommand(updateUserPoolInput(pool, withoutPreTokenTrigger(pool.LambdaConfig, [props.FunctionArn]))));
  return { PhysicalResourceId: physicalId };
}

function lambdaVersion(value: string): PreTokenLambdaVersion {
  if (!(LAMBDA_VERSIONS as readonly string[]).includes(value)) {
    throw new InvalidInputError('LambdaVersion', LAMBDA_VERSIONS.join(', '), JSON.stringify(value));
  }
  return value as PreTokenLambdaVersion;
}

/**
 * DescribeUserPool, with the answer's raw `UserPool` JSON beside the parsed one: a middleware just
 * outside the HTTP handler keeps the body before the SDK parses it (and drops what it does not model).
 */
async function describePool(cognito: CognitoIdentityProviderClient, userPoolId: string): Promise<{ pool: UserPoolType; raw: unknown }> {
  const command = new DescribeUserPoolCommand({ UserPoolId: userPoolId });
  let body: Uint8Array | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { body?: unknown };
      body = await readBody(response.body);
      response.body = body;
      return result;
    },
    // The innermost place of the innermost step: it sees the response before the deserializer.
    { step: 'deserialize', priority: 'low', name: 'hasuraCognitoRawDescribeUserPool' },
  );
  const { UserPool: pool } = await cognito.send(command);
  if (pool === undefined) throw new InvalidInputError('DescribeUserPool UserPool', `the user pool ${userPoolId}`, 'none');
  const raw = body === undefined ? undefined : (JSON.parse(Buffer.from(body).toString('utf8')) as { UserPool?: unknown }).UserPool;
  return { pool, raw };
}

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body === undefined || body === null) return new Uint8Array();
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
