/** The pure parts of the live suite: stack name, context, CDK arguments, the skip decision. */
import { parseStackConfig } from '../../../lib/stack-config';
import {
  type CdkRun,
  cdkDeployArgs,
  cdkDestroyArgs,
  detectionEnvOverrides,
  formatDuration,
  LIVE_GROUP,
  LIVE_ORG_ATTRIBUTE,
  LIVE_ROLE,
  LIVE_SESSION_VARIABLE,
  liveDecision,
  liveStackContext,
  liveStackName,
  manualDestroyCommand,
} from '../../live/plan';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('liveStackName', () => {
  it('is HasuraCognitoLive plus 8 random hex digits, different each run', () => {
    const names = new Set(Array.from({ length: 50 }, () => liveStackName()));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^HasuraCognitoLive[0-9a-f]{8}$/);
  });

  it('never collides with the default stack name, and the stack config accepts it', () => {
    const name = liveStackName();
    expect(name).not.toBe('HasuraCognito');
    expect(parseStackConfig({ stackName: name }).stackName).toBe(name);
  });

  it('refuses a suffix that would not make a valid stack name', () => {
    expect(liveStackName('abc123')).toBe('HasuraCognitoLiveabc123');
    expect(() => liveStackName('')).toThrow(/suffix/);
    expect(() => liveStackName('a b')).toThrow(/suffix/);
    expect(() => liveStackName('ab_c')).toThrow(/suffix/);
  });
});

describe('liveStackContext', () => {
  const name = liveStackName('0123abcd');
  const context = liveStackContext(name);

  it('is accepted by the parser the CDK app uses, as JSON text too (how -c passes it)', () => {
    const config = parseStackConfig(JSON.stringify(context));
    expect(config.stackName).toBe(name);
    expect(config.removalPolicy).toBe('destroy');
    expect(config.passwordAuth).toBe(false);
    expect(config.claims.groupRoles).toEqual({ [LIVE_GROUP]: LIVE_ROLE });
    expect(config.claims.sessionVariables).toEqual({ [LIVE_SESSION_VARIABLE]: LIVE_ORG_ATTRIBUTE });
    expect(config.customAttributes).toEqual([LIVE_ORG_ATTRIBUTE]);
  });

  it('keeps the access-token defaults the suite asserts on', () => {
    const config = parseStackConfig(context);
    expect(config.claims.tokenUse).toBe('access');
    expect(config.claims.claimsFormat).toBe('stringified_json');
    expect(config.claims.namespace).toBe('https://hasura.io/jwt/claims');
    expect(config.claims.defaultRole).toBe('user');
    expect(config.triggerVersion).toBe('V2_0');
  });
});

describe('CDK arguments', () => {
  const stackName = liveStackName('feedc0de');
  const run: CdkRun = { stackName, context: liveStackContext(stackName), assemblyDir: 'tmp/cdk.out' };

  it('deploys only the live stack, without approval prompts, into a separate assembly dir', () => {
    const args = cdkDeployArgs(run, 'tmp/outputs.json');
    expect(args.slice(0, 2)).toEqual(['deploy', stackName]);
    expect(args).toEqual(expect.arrayContaining(['--require-approval', 'never']));
    expect(args[args.indexOf('--outputs-file') + 1]).toBe('tmp/outputs.json');
    expect(args[args.indexOf('--output') + 1]).toBe('tmp/cdk.out');
    const context = args[args.indexOf('-c') + 1]!;
    expect(context.startsWith('hasuraCognito=')).toBe(true);
    expect(JSON.parse(context.slice('hasuraCognito='.length))).toEqual(run.context);
  });

  it('destroys with --force and the same context and assembly dir as the deploy', () => {
    const deploy = cdkDeployArgs(run, 'tmp/outputs.json');
    const destroy = cdkDestroyArgs(run);
    expect(destroy.slice(0, 3)).toEqual(['destroy', stackName, '--force']);
    for (const flag of ['-c', '--output']) expect(destroy[destroy.indexOf(flag) + 1]).toBe(deploy[deploy.indexOf(flag) + 1]);
  });

  it('gives a shell command that passes the same context back', () => {
    const command = manualDestroyCommand(run);
    expect(command).toBe(`npx cdk destroy ${stackName} --force -c hasuraCognito='${JSON.stringify(run.context)}'`);
    expect(manualDestroyCommand({ stackName, context: { a: "it's" } })).toContain(`-c hasuraCognito='{"a":"it'\\''s"}'`);
  });
});

describe('liveDecision', () => {
  it('runs with credentials that have not expired (or never expire)', () => {
    expect(liveDecision({ kind: 'found' }, NOW)).toEqual({ run: true });
    expect(liveDecision({ kind: 'found', expiration: new Date(NOW.getTime() + 60_000) }, NOW)).toEqual({ run: true });
  });

  it('skips without credentials, with the reason on one line', () => {
    const decision = liveDecision({ kind: 'none', message: 'Could not load credentials\nfrom any providers' }, NOW);
    expect(decision.run).toBe(false);
    if (decision.run) return;
    expect(decision.line).toMatch(/^test:live skipped: no AWS credentials \(Could not load credentials from any providers\)\./);
    expect(decision.line).not.toContain('\n');
  });

  it('skips with expired credentials and after a lookup that timed out, saying so', () => {
    const expired = liveDecision({ kind: 'found', expiration: new Date(NOW.getTime() - 1) }, NOW);
    expect(expired).toEqual({ run: false, line: expect.stringContaining('expired at 2026-03-01T11:59:59.999Z') });
    const timedOut = liveDecision({ kind: 'timeout', afterMs: 10_000 }, NOW);
    expect(timedOut).toEqual({ run: false, line: expect.stringContaining('did not finish within 10000 ms') });
  });
});

describe('detectionEnvOverrides', () => {
  it('turns the EC2 metadata lookup off unless the user set AWS_EC2_METADATA_DISABLED', () => {
    expect(detectionEnvOverrides({})).toEqual({ AWS_EC2_METADATA_DISABLED: 'true' });
    expect(detectionEnvOverrides({ AWS_EC2_METADATA_DISABLED: 'false' })).toEqual({});
    expect(detectionEnvOverrides({ AWS_EC2_METADATA_DISABLED: 'true' })).toEqual({});
  });
});

describe('formatDuration', () => {
  it('prints ms, seconds with one decimal, then minutes and seconds', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
  });
});
