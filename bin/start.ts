/**
 * `npm start`: the whole flow on one machine, no AWS account. Starts cognito-local and a local
 * Lambda host serving the deployment bundle, provisions the pool from cdk.json's `hasuraCognito`
 * block, signs in two demo users, writes hasura-config/local.env and shows what Hasura would do
 * with each token. Serves until Ctrl-C; `--once` stops after the summary.
 *
 * Stopping leaves nothing behind, whatever ends it: Ctrl-C, SIGTERM or SIGHUP (to the process
 * group or to npm alone), npm dying, or this process being killed. package.json runs it as
 * `exec node --require tsx/cjs bin/start.ts`, so this one process is npm's child: no shell or tsx
 * relay in between that could die and leave it running. Its children exit with it (child-process.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ClaimsConfigError, HasuraCognitoError } from '../lambda/errors';
import { main as checkToken } from '../hasura-config/check-token';
import { main as generateHasuraConfig } from '../hasura-config/generate';
import type { CliIo } from '../hasura-config/cli-io';
import { HasuraConfigInputError } from '../hasura-config/errors';
import { printable } from '../hasura-config/terminal-text';
import { checkLocalEnvTarget, LocalEnvFileError, shownPath, writeLocalEnvFile } from '../lib/local/local-env-file';
import { generatePassword, localClaimsConfig, startLocalStack, type LocalStack } from '../lib/local/local-stack';
import { FORGEABLE_NOTICE, hasuraHeading, hasuraHint, USAGE, userLine } from '../lib/local/start-text';
import { watchStopRequests, type StopRequests } from '../lib/local/stop-requests';
import { parseStackConfig, STACK_CONFIG_CONTEXT_KEY, StackConfigError, type StackConfig } from '../lib/stack-config';

const ROOT = path.join(__dirname, '..');

class StartUsageError extends HasuraCognitoError {
  constructor(message: string) {
    super(message);
    this.name = 'StartUsageError';
  }
}

export interface StartOptions {
  help: boolean;
  once: boolean;
  cognitoPort?: number;
  lambdaPort?: number;
  cdkJson: string;
  out: string;
  force: boolean;
}

export function readOptions(argv: string[]): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        once: { type: 'boolean', default: false },
        port: { type: 'string' },
        'lambda-port': { type: 'string' },
        'cdk-json': { type: 'string', default: path.join(ROOT, 'cdk.json') },
        out: { type: 'string', default: path.join(ROOT, 'hasura-config', 'local.env') },
        force: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new StartUsageError(`${(error as Error).message} (npm start -- --help shows the options)`);
  }
  const port = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new StartUsageError(`--${name} expects a port from 1 to 65535, found ${JSON.stringify(text)}`);
    return n;
  };
  return {
    help: values.help!,
    once: values.once!,
    cognitoPort: port('port', values.port),
    lambdaPort: port('lambda-port', values['lambda-port']),
    cdkJson: path.resolve(values['cdk-json']!),
    out: path.resolve(values.out!),
    force: values.force!,
  };
}

/** The `hasuraCognito` block of a cdk.json, validated like `cdk synth` validates it. */
export function readStackConfig(cdkJsonPath: string): StackConfig {
  let cdkJson: { context?: Record<string, unknown> };
  try {
    cdkJson = JSON.parse(fs.readFileSync(cdkJsonPath, 'utf8'));
  } catch (error) {
    throw new StartUsageError(`cannot read ${shownPath(cdkJsonPath)}: ${(error as Error).message}`);
  }
  return parseStackConfig(cdkJson.context?.[STACK_CONFIG_CONTEXT_KEY], STACK_CONFIG_CONTEXT_KEY);
}

/** Everything that can be checked before a process starts: the config, and that `--out` may be written. */
export function validate(options: StartOptions): StackConfig {
  const config = readStackConfig(options.cdkJson);
  checkLocalEnvTarget(options.out, options.force);
  return config;
}

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

/** The generator's and check-token's options for the local pool. */
function poolArgs(stack: LocalStack): string[] {
  return [
    // The generator wants a well-formed region; with --endpoint, issuer and jwk_url come from the
    // endpoint and the region is not used (the emulator's own region is "local").
    '--region', 'us-east-1',
    '--user-pool-id', stack.userPoolId,
    '--client-id', stack.clientId,
    '--endpoint', stack.endpoint,
    '--token-use', stack.claims.tokenUse,
    '--namespace', stack.claims.namespace,
    '--claims-format', stack.claims.claimsFormat,
  ];
}

/** Prints the pool, writes the Hasura env file, signs in the demo users and says what Hasura does with their tokens. */
async function showFlow(stack: LocalStack, config: StackConfig, options: StartOptions, changes: readonly string[], print: (text: string) => void): Promise<void> {
  print(`cognito-local      ${stack.endpoint} (user pool ${printable(stack.userPoolId)}, app client ${printable(stack.clientId)})`);
  print(`Lambda host        http://127.0.0.1:${stack.lambdaPort} (the bundle cdk deploy uploads)`);
  print(`Token mode         ID token, stringified JSON: the emulator runs V1 triggers only${changes.length ? ` (cdk.json says ${changes.join(', ')})` : ''}.`);

  // Demo users: one with no group, one in the first mapped group. Values for custom attributes the claims read.
  const attributes = Object.fromEntries(
    config.claimAttributes.filter((a) => a.startsWith('custom:')).map((a) => [a, `demo-${a.slice('custom:'.length).replace(/_/g, '-')}`]),
  );
  const [group, role] = Object.entries(config.claims.groupRoles)[0] ?? [];
  const users = [
    { email: 'reader@example.com', groups: [] as string[], role: undefined as string | undefined },
    ...(group ? [{ email: 'admin@example.com', groups: [group], role }] : []),
  ];
  if (!group) print('No groupRoles in cdk.json: only the demo user without a group is created.');

  const generated = capture();
  if ((await generateHasuraConfig([...poolArgs(stack), '--format', 'env'], generated)) !== 0) {
    throw new StartUsageError(`generating ${shownPath(options.out)} failed: ${generated.err.trim()}`);
  }
  writeLocalEnvFile(options.out, generated.out, options.force);
  print(`Hasura config      ${shownPath(options.out)} (HASURA_GRAPHQL_JWT_SECRET)\n`);

  for (const user of users) {
    const password = generatePassword(config.passwordMinLength);
    await stack.createUser({ email: user.email, password, groups: user.groups, attributes });
    const tokens = await stack.signIn(user.email, password);
    print(userLine(user.email, password, user.groups));
    // The default role first, then the mapped role chosen with the x-hasura-role header.
    for (const requested of user.role ? [undefined, user.role] : [undefined]) {
      const io = capture();
      const code = await checkToken(['--token', tokens.IdToken!, ...poolArgs(stack), ...(requested ? ['--role', requested] : [])], io);
      const text = (code === 0 ? io.out : io.out + io.err).trim().replace(/\n/g, '\n    ');
      print(`${hasuraHeading(requested)}\n    ${text}`);
    }
    print(`  ID token: ${tokens.IdToken}\n`);
  }
  print(hasuraHint(shownPath(options.out)));
}

async function run(options: StartOptions, stopRequests: StopRequests): Promise<number> {
  // Validate before anything starts, exactly as `cdk synth` would.
  const config = validate(options);
  const { changes } = localClaimsConfig(config.claims);

  let crash: (error: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => undefined); // awaited below only if it happens
  const stack = await startLocalStack({ config, cognitoPort: options.cognitoPort, lambdaPort: options.lambdaPort, onCrash: (error) => crash(error) });
  let stopped = stopRequests.reason() !== undefined;
  try {
    // A stop requested while the stack was starting skips the flow: nothing more is started or written.
    if (!stopped) {
      console.log(`${FORGEABLE_NOTICE}\n`);
      // Once a stop is requested, the flow's remaining steps fail against the stopped stack, and print nothing.
      const flow = showFlow(stack, config, options, changes, (text) => {
        if (stopRequests.reason() === undefined) console.log(text);
      });
      flow.catch(() => undefined); // raced below; after a stop, its failure is not an error
      stopped = (await Promise.race([flow.then(() => 'shown' as const), stopRequests.requested, crashed])) !== 'shown';
      if (!stopped && !options.once) {
        console.log('\nServing until Ctrl-C.');
        await Promise.race([stopRequests.requested, crashed]);
        stopped = true;
      }
    }
    return 0;
  } finally {
    await stack.stop();
    if (stopped) console.log('Stopped: every process this run started has exited.');
  }
}

function exitCodeOf(error: unknown): number {
  return error instanceof StartUsageError ||
    error instanceof ClaimsConfigError ||
    error instanceof StackConfigError ||
    error instanceof LocalEnvFileError ||
    error instanceof HasuraConfigInputError
    ? 2
    : 1;
}

if (require.main === module) {
  // First, so that a signal during start-up also stops cleanly (once the stack is up) instead of killing this process.
  const stopRequests = watchStopRequests();
  let options: StartOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`npm start: ${printable((error as Error).message)}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  run(options, stopRequests).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const code = exitCodeOf(error);
      // A usage error is one escaped line; a crash keeps the lines of the child's stderr it carries.
      console.error(`npm start: ${code === 2 ? printable(message.replace(/\s*[\r\n]+\s*/g, ' ')) : message}`);
      process.exit(code);
    },
  );
}
