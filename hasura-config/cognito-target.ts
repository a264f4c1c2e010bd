/**
 * Which Cognito the users and token commands talk to, once target-options.ts has checked the
 * options: the stack npm start is serving (found through its state file) or a deployed stack (AWS
 * credentials from the SDK's default provider chain). `openTarget` reads the files and, for
 * `--local`, makes sure the emulator answers for the pool. This module loads the AWS SDK: the
 * commands require it only once their arguments are known to be good.
 */
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { TokenUse } from '../lambda/claims-config';
import { InvalidInputError, LocalStackNotServingError } from '../lambda/errors';
import { STACK_OUTPUTS } from '../lib/stack-outputs';
import { readCdkJsonStackConfig } from './cdk-json';
import { checkClientId } from './cli-args';
import { withServiceErrors } from './cognito-errors';
import { localStateFile, readLocalStackState } from './local-stack-state';
import { readStackOutputs } from './outputs-file';
import { checkRegion, checkUserPoolId } from './pool-target';
import type { TargetOptions } from './target-options';
import { printable } from './terminal-text';

/** A user pool the commands can call, with what they need to know about its stack. */
export interface CognitoTarget {
  readonly local: boolean;
  readonly region: string;
  /** The emulator's base URL; undefined for AWS. */
  readonly endpoint: string | undefined;
  readonly userPoolId: string;
  /** The public app client users sign in with. */
  readonly clientId: string;
  /**
   * Cognito group -> Hasura role: the stack's GroupRoles output, or the cdk.json npm start reads
   * (read only when asked). Throws InvalidInputError saying what is missing and how to get it.
   */
  readonly groupRoles: () => Readonly<Record<string, string>>;
  /** The token that carries the Hasura claims: the stack's TokenUse output, or `id` locally. Throws as groupRoles does. */
  readonly tokenUse: () => TokenUse;
  readonly cognito: CognitoIdentityProviderClient;
}

// The SDK warns on every run under Node 20 that its releases from 2027 will need Node 22: advice about
// future SDK versions, not this one, and extra lines on the stderr of commands that promise one line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The emulator checks no signature; the SDK still wants credentials to sign with (npm start uses the same). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Reads the target's files; for `--local`, fails with LocalStackNotServingError unless the emulator serves the pool. */
export async function openTarget(options: TargetOptions): Promise<CognitoTarget> {
  return options.kind === 'local' ? openLocalTarget(options.stateDir, options.cdkJson) : openStackTarget(options.file, options.stack);
}

function openStackTarget(file: string, stackName: string | undefined): CognitoTarget {
  const stack = readStackOutputs(file, stackName);
  const at = `--outputs ${file} stack ${stack.stackName} output`;
  // A stack deployed before these outputs existed lacks them; only the commands that need one say so.
  const missing = (output: string): never => {
    throw new InvalidInputError(
      `${at} ${output}`,
      `the output of a stack deployed by this version (redeploy it: npx cdk deploy --outputs-file ${file})`,
      'no such output',
    );
  };
  const region = checkRegion(stack.region, `${at} ${STACK_OUTPUTS.region}`);
  return {
    local: false,
    region,
    endpoint: undefined,
    userPoolId: checkUserPoolId(stack.userPoolId, region, undefined, `${at} ${STACK_OUTPUTS.userPoolId}`),
    clientId: checkClientId(stack.clientIds[0], `${at} ${STACK_OUTPUTS.userPoolClientId}`),
    groupRoles: () => stack.groupRoles ?? missing(STACK_OUTPUTS.groupRoles),
    tokenUse: () => stack.tokenUse ?? missing(STACK_OUTPUTS.tokenUse),
    cognito: withServiceErrors(new CognitoIdentityProviderClient({ region, credentials: defaultProvider() })),
  };
}

async function openLocalTarget(stateDir: string, cdkJson: string): Promise<CognitoTarget> {
  const state = readLocalStackState(stateDir);
  if (state === undefined) throw new LocalStackNotServingError(`no ${printable(localStateFile(stateDir))}`);
  const health = `${state.endpoint}/health`;
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(10_000) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    const cause = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    throw new LocalStackNotServingError(`no answer from ${health}: ${printable((error as Error).message)}${cause ? ` (${cause})` : ''}`);
  }
  // The emulator's pool ids carry its region: local_…
  const region = state.userPoolId.slice(0, state.userPoolId.lastIndexOf('_'));
  const cognito = withServiceErrors(
    new CognitoIdentityProviderClient({ endpoint: state.endpoint, region, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 }),
  );
  try {
    await cognito.send(new DescribeUserPoolCommand({ UserPoolId: state.userPoolId }));
  } catch (error) {
    cognito.destroy();
    throw new LocalStackNotServingError(
      `the emulator at ${state.endpoint} has no user pool ${state.userPoolId} (${(error as Error).message})`,
    );
  }
  return {
    local: true,
    region,
    endpoint: state.endpoint,
    userPoolId: state.userPoolId,
    clientId: state.clientId,
    // The groups npm start provisioned come from this config: the same file it reads.
    groupRoles: () => readCdkJsonStackConfig(cdkJson, `--cdk-json ${printable(cdkJson)}`).claims.groupRoles,
    // The emulator runs V1 triggers only: the claims are in the ID token (npm start's localClaimsConfig).
    tokenUse: () => 'id',
    cognito,
  };
}
