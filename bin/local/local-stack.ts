/**
 * The whole flow on one machine: cognito-local (the Cognito emulator) and a local Lambda host
 * serving the deployment bundle of the pre token generation trigger, wired together, then a user
 * pool, app client and groups provisioned from the same `hasuraCognito` config the CDK app reads.
 *
 * The emulator keeps its data in the state folder (hasura-config/local-stack-state.ts), so the
 * pool, its client, users and groups outlive the processes: a start with a state reuses its pool
 * on its port (the port is in every token's issuer), and brings what cdk.json may have changed
 * since to the pool. Only the Lambda bundle is temporary.
 *
 * The emulator only sends and applies V1 events (ID token, string claims), so the Lambda runs with
 * `tokenUse: id` and `claimsFormat: stringified_json` here; `localClaimsConfig` says what changed.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AddCustomAttributesCommand,
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type ExplicitAuthFlowsType,
  InitiateAuthCommand,
  ListGroupsCommand,
  type PasswordPolicyType,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type UserPoolClientType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { checkClientId, checkUserPoolId } from '../../hasura-config/cli-args';
import { EMULATOR_CREDENTIALS } from '../../hasura-config/cognito-target';
import {
  LOCAL_STATE_VERSION,
  type LocalStackState,
  localStateFile,
  localStatePort,
  writeLocalStackState,
} from '../../hasura-config/local-stack-state';
import { printable } from '../../hasura-config/terminal-text';
import { CLAIMS_CONFIG_ENV, type ClaimsConfig, serializeClaimsConfig } from '../../lambda/claims-config';
import { ChildProcessError, InvalidInputError, PortUnavailableError } from '../../lambda/errors';
import { bundlePreTokenGeneration } from '../../lib/lambda-bundling';
import type { StackConfig } from '../../lib/stack-config';
import { type Child, httpReady, startChild, stdoutLine } from './child-process';
import { PRE_TOKEN_FUNCTION_NAME } from './lambda-host';
import { shownPath } from './local-env-file';
import { choosePortPair } from './ports';
import { checkEmulatorData, emulatorDir, RESET_REMEDY, startEmptyStateFolder, statePortHolder } from './state-folder';

export const LOCAL_HOST = '127.0.0.1';
export const DEFAULT_COGNITO_PORT = 9229;
export const DEFAULT_LAMBDA_PORT = 9230;
/** cognito-local names pools `local_…` and reports this region. */
export const LOCAL_REGION = 'local';
/** The app client npm start provisions, which users sign in with. */
const CLIENT_NAME = 'hasura-cognito-local';
const EXPLICIT_AUTH_FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

export interface LocalStackOptions {
  config: StackConfig;
  /** The state folder: the emulator's data is kept there, and it outlives the stack. */
  stateDir: string;
  /**
   * What an earlier start provisioned in `stateDir` (readLocalStackState): reused on its port.
   * Without it, a new pool, client and groups are provisioned and `stack.json` is written.
   */
  state?: LocalStackState;
  /**
   * Explicit ports must be free; unset ports default to 9229/9230 or any free port. A state's port
   * is never moved: taken, or another `cognitoPort`, is an error.
   */
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
  /** The state folder, which stays when the stack stops. */
  readonly stateDir: string;
  /** True when the pool came from the state of an earlier start. */
  readonly reused: boolean;
  /** What a reused pool was brought up to from the current cdk.json, one phrase each (names escaped). */
  readonly reconciled: readonly string[];
  /** Temporary directory of the Lambda bundle; removed by `stop`, or by the children if this process dies first. */
  readonly tempDir: string;
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

const passwordPolicy = (config: StackConfig): PasswordPolicyType => ({
  MinimumLength: config.passwordMinLength,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
});

/** The emulator's and the Lambda host's ports; a state keeps its emulator port, or the start fails saying why. */
async function choosePorts(options: LocalStackOptions): Promise<[number, number]> {
  const { state } = options;
  if (state === undefined) {
    return choosePortPair(LOCAL_HOST, [options.cognitoPort, options.lambdaPort], [DEFAULT_COGNITO_PORT, DEFAULT_LAMBDA_PORT]);
  }
  const port = localStatePort(state);
  const where = `the local stack in ${shownPath(options.stateDir)}`;
  if (options.cognitoPort !== undefined && options.cognitoPort !== port) {
    throw new InvalidInputError(
      '--port',
      `${port}, the port of ${where} (npm start -- --reset --port ${options.cognitoPort} starts over on that port)`,
      String(options.cognitoPort),
    );
  }
  try {
    return await choosePortPair(LOCAL_HOST, [port, options.lambdaPort], [DEFAULT_COGNITO_PORT, DEFAULT_LAMBDA_PORT]);
  } catch (error) {
    if (!(error instanceof PortUnavailableError) || error.port !== port) throw error;
    const found =
      (await statePortHolder(state)) === 'this stack'
        ? 'another npm start serving it (stop that one first)'
        : `it taken (${error.found}): stop what holds it, or ${RESET_REMEDY} on another port`;
    throw new InvalidInputError(`port ${port} of ${where}`, "a free port, kept because every token's issuer names it", found);
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { claims } = localClaimsConfig(options.config.claims);
  const { stateDir, state } = options;
  // Before any process: a state whose data is gone or unreadable cannot be served.
  if (state !== undefined) checkEmulatorData(stateDir, state);
  const [cognitoPort, lambdaPort] = await choosePorts(options);
  if (cognitoPort === lambdaPort) {
    throw new ChildProcessError(
      `the emulator and the Lambda host cannot share port ${cognitoPort}`,
      'two different ports',
      `port ${cognitoPort} for both`,
    );
  }
  const endpoint = state?.endpoint ?? `http://${LOCAL_HOST}:${cognitoPort}`;
  // No stack.json: nothing was provisioned, or a first start stopped half-way; its leftovers go.
  if (state === undefined) startEmptyStateFolder(stateDir);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-local-'));
  const children: Child[] = [];
  let stopping = false;

  const stop = async () => {
    stopping = true;
    await Promise.all(children.map((child) => child.stop()));
    fs.rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    // The Lambda host: the same bundle `cdk deploy` uploads, in its own process and environment,
    // with the claims of the current cdk.json.
    const bundle = bundlePreTokenGeneration(path.join(tempDir, 'lambda'));
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
        removeOnOrphan: tempDir,
      }),
    );

    // The emulator reads .cognito/config.json from its working directory and keeps its data in
    // .cognito/db/ there. The config is written on every start: the Lambda host's port may move.
    const cwd = emulatorDir(stateDir);
    fs.mkdirSync(path.join(cwd, '.cognito'), { recursive: true });
    fs.writeFileSync(
      path.join(cwd, '.cognito', 'config.json'),
      JSON.stringify({
        LambdaClient: {
          endpoint: `http://${LOCAL_HOST}:${lambdaPort}`,
          region: LOCAL_REGION,
          credentials: EMULATOR_CREDENTIALS,
        },
        TriggerFunctions: { PreTokenGeneration: PRE_TOKEN_FUNCTION_NAME },
        TokenConfig: { IssuerDomain: endpoint },
      }),
    );
    children.push(
      await startChild({
        name: 'cognito-local',
        args: [require.resolve('cognito-local/lib/bin/start.js')],
        cwd,
        env: { ...process.env, HOST: LOCAL_HOST, PORT: String(cognitoPort), DEBUG: '' },
        ready: (child) => httpReady(`${endpoint}/health`, child),
        readyTimeoutMs: 20_000,
        removeOnOrphan: tempDir,
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
    credentials: EMULATOR_CREDENTIALS,
  });
  try {
    const config = options.config;
    const clientSettings = {
      ExplicitAuthFlows: EXPLICIT_AUTH_FLOWS,
      ReadAttributes: [...config.readAttributes],
      WriteAttributes: [...config.writeAttributes],
    };
    const createClient = async (name: string) => {
      const created = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: name, ...clientSettings }));
      return checkClientId(created.UserPoolClient?.ClientId ?? '', 'cognito-local CreateUserPoolClient UserPoolClient.ClientId');
    };
    const createGroups = async (names: readonly string[]) => {
      // Precedence follows the order of groupRoles in cdk.json.
      const order = Object.keys(claims.groupRoles);
      for (const group of names) {
        await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group, Precedence: order.indexOf(group) }));
      }
    };

    let userPoolId: string;
    let clientId: string;
    let reconciled: string[] = [];
    if (state === undefined) {
      const pool = await cognito.send(
        new CreateUserPoolCommand({
          PoolName: config.stackName,
          UsernameAttributes: ['email'],
          Schema: config.customAttributes.map((name) => ({
            Name: name.replace(/^custom:/, ''),
            AttributeDataType: 'String',
            Mutable: true,
          })),
          Policies: { PasswordPolicy: passwordPolicy(config) },
        }),
      );
      userPoolId = checkUserPoolId(pool.UserPool?.Id ?? '', LOCAL_REGION, endpoint, 'cognito-local CreateUserPool UserPool.Id');
      clientId = await createClient(CLIENT_NAME);
      await createGroups(Object.keys(claims.groupRoles));
      // Written once the pool is complete: a start stopped before this leaves no state to reuse.
      writeLocalStackState(stateDir, { version: LOCAL_STATE_VERSION, endpoint, userPoolId, clientId });
    } else {
      userPoolId = state.userPoolId;
      clientId = state.clientId;
      const { pool, client } = await describeState(cognito, stateDir, state);
      reconciled = await reconcile({
        cognito,
        config,
        userPoolId,
        pool,
        client,
        clientSettings,
        createGroups,
        groupRoles: claims.groupRoles,
      });
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
      stateDir,
      reused: state !== undefined,
      reconciled,
      tempDir,
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

/** The state's pool and app client as the emulator holds them; either gone is a state to start over. */
async function describeState(
  cognito: CognitoIdentityProviderClient,
  stateDir: string,
  state: LocalStackState,
): Promise<{ pool: UserPoolType; client: UserPoolClientType }> {
  const gone = (what: string) =>
    new InvalidInputError(
      `${shownPath(localStateFile(stateDir))} ${what}`,
      `${what === 'userPoolId' ? 'a pool' : 'an app client'} the emulator's data in ${shownPath(emulatorDir(stateDir))} holds (${RESET_REMEDY})`,
      `no such ${what === 'userPoolId' ? 'pool' : 'app client'} there`,
    );
  const notFound = (error: unknown) => (error as Error).name === 'ResourceNotFoundException';
  const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: state.userPoolId })).catch((error: unknown) => {
    throw notFound(error) ? gone('userPoolId') : error;
  });
  const client = await cognito
    .send(new DescribeUserPoolClientCommand({ UserPoolId: state.userPoolId, ClientId: state.clientId }))
    .catch((error: unknown) => {
      throw notFound(error) ? gone('clientId') : error;
    });
  if (pool.UserPool === undefined || client.UserPoolClient === undefined)
    throw gone(pool.UserPool === undefined ? 'userPoolId' : 'clientId');
  return { pool: pool.UserPool, client: client.UserPoolClient };
}

/**
 * Brings a reused pool to the current cdk.json: custom attributes and groups it lacks are added
 * (none is removed: users may hold values and memberships), the password policy and the app
 * client's read and write attributes are set as configured. Returns what changed.
 */
async function reconcile(input: {
  cognito: CognitoIdentityProviderClient;
  config: StackConfig;
  userPoolId: string;
  pool: UserPoolType;
  client: UserPoolClientType;
  clientSettings: { ExplicitAuthFlows: ExplicitAuthFlowsType[]; ReadAttributes: string[]; WriteAttributes: string[] };
  createGroups: (names: readonly string[]) => Promise<void>;
  groupRoles: Readonly<Record<string, string>>;
}): Promise<string[]> {
  const { cognito, config, pool, client } = input;
  const UserPoolId = input.userPoolId;
  const changes: string[] = [];
  const names = (list: readonly string[]) => list.map(printable).join(', ');

  const attributes = new Set((pool.SchemaAttributes ?? []).map((attribute) => attribute.Name));
  const missingAttributes = config.customAttributes.filter((name) => !attributes.has(name));
  if (missingAttributes.length > 0) {
    await cognito.send(
      new AddCustomAttributesCommand({
        UserPoolId,
        CustomAttributes: missingAttributes.map((name) => ({
          Name: name.replace(/^custom:/, ''),
          AttributeDataType: 'String',
          Mutable: true,
        })),
      }),
    );
    changes.push(`added the custom attribute${missingAttributes.length > 1 ? 's' : ''} ${names(missingAttributes)}`);
  }

  const minimumLength = pool.Policies?.PasswordPolicy?.MinimumLength;
  if (minimumLength !== config.passwordMinLength) {
    await cognito.send(new UpdateUserPoolCommand({ UserPoolId, Policies: { PasswordPolicy: passwordPolicy(config) } }));
    changes.push(`set the minimum password length to ${config.passwordMinLength} (was ${minimumLength ?? 'unset'})`);
  }

  const same = (a: readonly string[] | undefined, b: readonly string[]) =>
    JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...b].sort());
  const { clientSettings } = input;
  if (!same(client.ReadAttributes, clientSettings.ReadAttributes) || !same(client.WriteAttributes, clientSettings.WriteAttributes)) {
    await cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId, ClientId: client.ClientId ?? '', ClientName: client.ClientName, ...clientSettings }),
    );
    changes.push("set the app client's read and write attributes");
  }

  const existing = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(new ListGroupsCommand({ UserPoolId, NextToken }));
    for (const group of page.Groups ?? []) if (group.GroupName) existing.add(group.GroupName);
    NextToken = page.NextToken;
  } while (NextToken);
  const missingGroups = Object.keys(input.groupRoles).filter((group) => !existing.has(group));
  if (missingGroups.length > 0) {
    await input.createGroups(missingGroups);
    changes.push(`created the group${missingGroups.length > 1 ? 's' : ''} ${names(missingGroups)}`);
  }
  return changes;
}
