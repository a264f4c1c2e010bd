/**
 * The whole flow on one machine: cognito-local (the Cognito emulator) and a local Lambda host
 * serving the deployment bundle of the pre token generation trigger, wired together, then a user
 * pool, app client and groups provisioned from the same `hasuraCognito` config the CDK app reads.
 *
 * The emulator only sends and applies V1 events (ID token, string claims), so the Lambda runs with
 * `tokenUse: id` and `claimsFormat: stringified_json` here; `localClaimsConfig` says what changed.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { checkClientId, checkUserPoolId } from '../../hasura-config/cli-args';
import { CLAIMS_CONFIG_ENV, type ClaimsConfig, serializeClaimsConfig } from '../../lambda/claims-config';
import { ChildProcessError } from '../../lambda/errors';
import { bundlePreTokenGeneration } from '../../lib/lambda-bundling';
import type { StackConfig } from '../../lib/stack-config';
import { type Child, httpReady, startChild, stdoutLine } from './child-process';
import { PRE_TOKEN_FUNCTION_NAME } from './lambda-host';
import { choosePortPair } from './ports';

export const LOCAL_HOST = '127.0.0.1';
export const DEFAULT_COGNITO_PORT = 9229;
export const DEFAULT_LAMBDA_PORT = 9230;
/** cognito-local names pools `local_…` and reports this region. */
export const LOCAL_REGION = 'local';

export interface LocalStackOptions {
  config: StackConfig;
  /** Explicit ports must be free; unset ports default to 9229/9230 or any free port. */
  cognitoPort?: number;
  lambdaPort?: number;
  /** Called once if a child process dies after start-up. */
  onCrash?: (error: ChildProcessError) => void;
}

export interface LocalStack {
  readonly endpoint: string;
  readonly region: string;
  /** The emulator's ids, checked as the CLIs check --user-pool-id and --client-id: they go into the env file and the output. */
  readonly userPoolId: string;
  readonly clientId: string;
  readonly lambdaPort: number;
  /** Temporary directory of the emulator's data and the bundle; removed by `stop`, or by the children if this process dies first. */
  readonly workDir: string;
  /** Process ids of the emulator and the Lambda host. */
  readonly pids: readonly number[];
  /** The claims config the Lambda runs with here. */
  readonly claims: ClaimsConfig;
  readonly cognito: CognitoIdentityProviderClient;
  createUser(user: { email: string; password: string; groups?: readonly string[]; attributes?: Record<string, string> }): Promise<void>;
  signIn(email: string, password: string, clientId?: string): Promise<AuthenticationResultType>;
  refresh(refreshToken: string, clientId?: string): Promise<AuthenticationResultType>;
  createClient(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The claims config for the emulator's V1-only events, and what had to change. */
export function localClaimsConfig(claims: ClaimsConfig): { claims: ClaimsConfig; changes: string[] } {
  const changes: string[] = [];
  if (claims.tokenUse !== 'id') changes.push(`tokenUse "${claims.tokenUse}" -> "id"`);
  if (claims.claimsFormat !== 'stringified_json') changes.push(`claimsFormat "${claims.claimsFormat}" -> "stringified_json"`);
  return { claims: { ...claims, tokenUse: 'id', claimsFormat: 'stringified_json' }, changes };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { claims } = localClaimsConfig(options.config.claims);
  const [cognitoPort, lambdaPort] = await choosePortPair(
    LOCAL_HOST,
    [options.cognitoPort, options.lambdaPort],
    [DEFAULT_COGNITO_PORT, DEFAULT_LAMBDA_PORT],
  );
  if (cognitoPort === lambdaPort) {
    throw new ChildProcessError(
      `the emulator and the Lambda host cannot share port ${cognitoPort}`,
      'two different ports',
      `port ${cognitoPort} for both`,
    );
  }
  const endpoint = `http://${LOCAL_HOST}:${cognitoPort}`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-local-'));
  const children: Child[] = [];
  let stopping = false;

  const stop = async () => {
    stopping = true;
    await Promise.all(children.map((child) => child.stop()));
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    // The Lambda host: the same bundle `cdk deploy` uploads, in its own process and environment.
    const bundle = bundlePreTokenGeneration(path.join(workDir, 'lambda'));
    children.push(
      await startChild({
        name: 'the local Lambda host',
        args: ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'lambda-host.ts')],
        env: {
          ...process.env,
          LAMBDA_BUNDLE: bundle,
          HOST: LOCAL_HOST,
          PORT: String(lambdaPort),
          COGNITO_ENDPOINT: endpoint,
          [CLAIMS_CONFIG_ENV]: serializeClaimsConfig(claims),
        },
        ready: (child) => stdoutLine(child, /^ready \d+$/m).then(() => undefined),
        readyTimeoutMs: 20_000,
        removeOnOrphan: workDir,
      }),
    );

    // The emulator reads .cognito/config.json from its working directory and keeps its data there.
    fs.mkdirSync(path.join(workDir, '.cognito'));
    fs.writeFileSync(
      path.join(workDir, '.cognito', 'config.json'),
      JSON.stringify({
        LambdaClient: {
          endpoint: `http://${LOCAL_HOST}:${lambdaPort}`,
          region: LOCAL_REGION,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        },
        TriggerFunctions: { PreTokenGeneration: PRE_TOKEN_FUNCTION_NAME },
        TokenConfig: { IssuerDomain: endpoint },
      }),
    );
    children.push(
      await startChild({
        name: 'cognito-local',
        args: [require.resolve('cognito-local/lib/bin/start.js')],
        cwd: workDir,
        env: { ...process.env, HOST: LOCAL_HOST, PORT: String(cognitoPort), DEBUG: '' },
        ready: (child) => httpReady(`${endpoint}/health`, child),
        readyTimeoutMs: 20_000,
        removeOnOrphan: workDir,
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  for (const child of children) {
    child.process.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      // The tail is read once the others are stopped: the last of its stderr may arrive after 'exit'.
      void stop().then(() =>
        options.onCrash?.(
          new ChildProcessError(
            `${child.name} stopped unexpectedly (${how})${child.stderrTail() ? `: ${child.stderrTail()}` : ''}`,
            'running until stopped',
            `an exit (${how})`,
          ),
        ),
      );
    });
  }

  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const config = options.config;
    const pool = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: config.stackName,
        UsernameAttributes: ['email'],
        Schema: config.customAttributes.map((name) => ({ Name: name.replace(/^custom:/, ''), AttributeDataType: 'String', Mutable: true })),
        Policies: {
          PasswordPolicy: {
            MinimumLength: config.passwordMinLength,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
      }),
    );
    const userPoolId = checkUserPoolId(pool.UserPool?.Id ?? '', LOCAL_REGION, endpoint, 'cognito-local CreateUserPool UserPool.Id');
    const createClient = async (name: string) => {
      const created = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: name,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          ReadAttributes: [...config.readAttributes],
          WriteAttributes: [...config.writeAttributes],
        }),
      );
      return checkClientId(created.UserPoolClient?.ClientId ?? '', 'cognito-local CreateUserPoolClient UserPoolClient.ClientId');
    };
    const clientId = await createClient('hasura-cognito-local');
    let precedence = 0;
    for (const group of Object.keys(claims.groupRoles)) {
      await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group, Precedence: precedence++ }));
    }

    const auth = async (clientIdToUse: string, flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH', parameters: Record<string, string>) => {
      const result = await cognito.send(new InitiateAuthCommand({ ClientId: clientIdToUse, AuthFlow: flow, AuthParameters: parameters }));
      if (!result.AuthenticationResult) throw new Error(`${flow} answered a challenge (${result.ChallengeName}) instead of tokens`);
      return result.AuthenticationResult;
    };

    return {
      endpoint,
      region: LOCAL_REGION,
      userPoolId,
      clientId,
      lambdaPort,
      workDir,
      // Every child was started and is running (startChild waited for it), so each has a pid.
      pids: children.flatMap((child) => (child.process.pid === undefined ? [] : [child.process.pid])),
      claims,
      cognito,
      createClient,
      async createUser({ email, password, groups = [], attributes = {} }) {
        await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
              ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
            ],
          }),
        );
        await cognito.send(
          new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: password, Permanent: true }),
        );
        for (const group of groups)
          await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }));
      },
      signIn: (email, password, client = clientId) => auth(client, 'USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: password }),
      refresh: (refreshToken, client = clientId) => auth(client, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }),
      stop: async () => {
        cognito.destroy();
        await stop();
      },
    };
  } catch (error) {
    cognito.destroy();
    await stop();
    throw error;
  }
}
