/**
 * The pure parts of the live suite (test/live/hasura-cognito.live.ts): the throwaway stack's name,
 * its `hasuraCognito` context, the CDK CLI arguments, and whether to run at all. No AWS, no I/O:
 * unit-tested in test/unit/live/.
 */
import { randomBytes } from 'node:crypto';

export const LIVE_STACK_PREFIX = 'HasuraCognitoLive';
/** The group the grouped user joins, and the Hasura role it maps to. */
export const LIVE_GROUP = 'admins';
export const LIVE_ROLE = 'admin';
export const LIVE_DEFAULT_ROLE = 'user';
/** A session variable read from a custom attribute, so the attribute path is exercised too. */
export const LIVE_SESSION_VARIABLE = 'x-hasura-org-id';
export const LIVE_ORG_ATTRIBUTE = 'custom:org_id';
/** Written out, not imported: the suite checks the documented default, not whatever the code says. */
export const HASURA_NAMESPACE = 'https://hasura.io/jwt/claims';

/** `HasuraCognitoLive` + 8 random hex digits: unique per run, a valid CloudFormation stack name. */
export function liveStackName(suffix: string = randomBytes(4).toString('hex')): string {
  if (!/^[0-9a-z]{1,32}$/.test(suffix))
    throw new Error(`live stack suffix must be 1-32 lower-case letters or digits, got ${JSON.stringify(suffix)}`);
  return `${LIVE_STACK_PREFIX}${suffix}`;
}

/**
 * The `hasuraCognito` block for the throwaway stack. `removalPolicy: destroy` turns deletion
 * protection off so `cdk destroy` removes the pool and its users; `passwordAuth` stays off, as by
 * default: the suite signs in with SRP through `npm run token`, as a frontend does; logs are kept
 * one day. Everything else (tokenUse
 * access, stringified JSON claims, the Essentials plan) is the project default.
 */
export function liveStackContext(stackName: string): Record<string, unknown> {
  return {
    stackName,
    removalPolicy: 'destroy',
    passwordAuth: false,
    logRetentionDays: 1,
    customAttributes: [LIVE_ORG_ATTRIBUTE],
    groupRoles: { [LIVE_GROUP]: LIVE_ROLE },
    sessionVariables: { [LIVE_SESSION_VARIABLE]: LIVE_ORG_ATTRIBUTE },
  };
}

export interface CdkRun {
  readonly stackName: string;
  readonly context: Record<string, unknown>;
  /** Cloud assembly directory (`--output`): a temp dir, so the repository's cdk.out is left alone. */
  readonly assemblyDir: string;
}

/** Arguments of `cdk deploy`, after the CLI path. */
export function cdkDeployArgs(run: CdkRun, outputsFile: string): string[] {
  return ['deploy', run.stackName, '--require-approval', 'never', '--outputs-file', outputsFile, ...commonArgs(run)];
}

/** Arguments of `cdk destroy`. The same context as the deploy: without it the app would not define the stack. */
export function cdkDestroyArgs(run: CdkRun): string[] {
  return ['destroy', run.stackName, '--force', ...commonArgs(run)];
}

function commonArgs(run: CdkRun): string[] {
  return ['--output', run.assemblyDir, '-c', `hasuraCognito=${JSON.stringify(run.context)}`];
}

/** The command a person runs to remove the stack by hand when the suite could not. */
export function manualDestroyCommand(run: Pick<CdkRun, 'stackName' | 'context'>): string {
  const json = JSON.stringify(run.context);
  // Single-quoted for POSIX shells; a quote inside would end the quoting, so escape it.
  return `npx cdk destroy ${run.stackName} --force -c hasuraCognito='${json.replace(/'/g, `'\\''`)}'`;
}

/** What looking up the default credential provider chain gave. */
export type CredentialCheck =
  | { readonly kind: 'found'; readonly expiration?: Date }
  | { readonly kind: 'none'; readonly message: string }
  | { readonly kind: 'timeout'; readonly afterMs: number };

export type LiveDecision = { readonly run: true } | { readonly run: false; readonly line: string };

/** Run only with usable credentials; otherwise exactly one line saying why the suite was skipped. */
export function liveDecision(check: CredentialCheck, now: Date): LiveDecision {
  const skip = (why: string): LiveDecision => ({
    run: false,
    line: `test:live skipped: ${oneLine(why)}. Configure AWS credentials (e.g. AWS_PROFILE) to deploy a throwaway stack and run it.`,
  });
  switch (check.kind) {
    case 'none':
      return skip(`no AWS credentials (${check.message})`);
    case 'timeout':
      return skip(`the AWS credential lookup did not finish within ${check.afterMs} ms`);
    case 'found':
      if (check.expiration !== undefined && check.expiration.getTime() <= now.getTime()) {
        return skip(`the AWS credentials expired at ${check.expiration.toISOString()}`);
      }
      return { run: true };
  }
}

/**
 * Environment overrides for the credential lookup only. The EC2 instance metadata service is not
 * asked unless the user said so (`AWS_EC2_METADATA_DISABLED=false`): off EC2 it costs a timeout
 * per run, and this machine has no route to it. Container credentials (ECS) are read from the
 * environment and still work.
 */
export function detectionEnvOverrides(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.AWS_EC2_METADATA_DISABLED === undefined ? { AWS_EC2_METADATA_DISABLED: 'true' } : {};
}

/** `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
