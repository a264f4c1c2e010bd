/**
 * `npm start` leaves nothing behind, however it is stopped. The real `npm start` (npm from PATH)
 * runs in its own process group, as in a terminal; once it serves, every descendant process is
 * recorded from /proc, then one signal is sent. Within a bounded wait every recorded process must
 * be gone, the temporary directory (the Lambda bundle) removed and both ports free again, while the
 * state folder, where the emulator keeps the pool for the next start, stays.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REMOVE_ON_ORPHAN_ENV } from '../../bin/local/child-process';
import { LOCAL_HOST } from '../../bin/local/local-stack';
import { choosePort } from '../../bin/local/ports';
import { readLocalStackState } from '../../hasura-config/local-stack-state';

jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '..', '..');
const SERVING = 'Serving until Ctrl-C.';
const STOPPED = 'Stopped: every process this run started has exited.';

interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, it names one process even if the pid is reused. */
  startTime: string;
  cmdline: string;
}

/** /proc/<pid>/stat, whose second field (the command name) may hold spaces and parentheses. */
function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, state: fields[0], ppid: Number(fields[1]), startTime: fields[19], cmdline };
  } catch {
    return undefined;
  }
}

function descendants(root: number): ProcessInfo[] {
  const all = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => processInfo(Number(name)))
    .filter((p) => p !== undefined);
  const found = [processInfo(root)].filter((p) => p !== undefined);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
  return found;
}

/** Still running: the same process (pid and start time) and not a zombie waiting to be reaped. */
function running(p: ProcessInfo): boolean {
  const now = processInfo(p.pid);
  return now !== undefined && now.startTime === p.startTime && now.state !== 'Z';
}

async function portFree(port: number): Promise<boolean> {
  return choosePort(LOCAL_HOST, port, port).then(
    () => true,
    () => false,
  );
}

interface Run {
  npm: ChildProcess;
  output(): string;
  processes: ProcessInfo[];
  /** The node process running bin/start.ts. */
  start: ProcessInfo;
  /** The temporary directory of the Lambda bundle. */
  tempDir: string;
  stateDir: string;
  ports: number[];
}

let run: Run | undefined;
let outDir: string;

async function startServing(): Promise<Run> {
  const ports = [await choosePort(LOCAL_HOST, undefined, 0), await choosePort(LOCAL_HOST, undefined, 0)];
  const stateDir = path.join(outDir, 'state');
  const args = [
    'start',
    '--',
    '--port',
    String(ports[0]),
    '--lambda-port',
    String(ports[1]),
    '--out',
    path.join(outDir, 'local.env'),
    '--state-dir',
    stateDir,
  ];
  const npm = spawn('npm', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  npm.stdout!.on('data', collect);
  npm.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (!output.includes(SERVING)) return;
      npm.stdout!.off('data', onData);
      resolve();
    };
    npm.stdout!.on('data', onData);
    npm.once('exit', (code, signal) => reject(new Error(`npm start exited (${signal ?? code}) before serving:\n${output}`)));
  });
  const processes = descendants(npm.pid!);
  const cognitoLocal = processes.find((p) => p.cmdline.includes('cognito-local/lib/bin/start.js'));
  const lambdaHost = processes.find((p) => p.cmdline.includes('lambda-host.ts'));
  const start = processes.find((p) => p.pid === cognitoLocal?.ppid && p.cmdline.includes('bin/start.ts'));
  if (!start || !cognitoLocal || !lambdaHost)
    throw new Error(`unexpected process tree:\n${processes.map((p) => `${p.pid} <- ${p.ppid} ${p.cmdline}`).join('\n')}`);
  // cognito-local keeps its data in the state folder; the Lambda bundle is in a temporary directory, which the
  // children remove if they outlive npm start.
  expect(fs.readlinkSync(`/proc/${cognitoLocal.pid}/cwd`)).toBe(path.join(stateDir, 'cognito-local'));
  const environ = fs.readFileSync(`/proc/${lambdaHost.pid}/environ`, 'utf8').split('\0');
  const tempDir = environ.find((entry) => entry.startsWith(`${REMOVE_ON_ORPHAN_ENV}=`))!.slice(REMOVE_ON_ORPHAN_ENV.length + 1);
  expect(path.basename(tempDir)).toMatch(/^hasura-cognito-local-/);
  expect(fs.existsSync(tempDir)).toBe(true);
  return { npm, output: () => output, processes, start, tempDir, stateDir, ports };
}

/** Polls until `done` holds, for at most ~10 s; the caller then asserts, so a failure shows what is left. */
async function waitFor(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

beforeEach(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-signals-'));
});

afterEach(() => {
  // Whatever a failed case left: every recorded process, its directory, its output file.
  for (const p of run?.processes ?? []) {
    if (running(p)) process.kill(p.pid, 'SIGKILL');
  }
  if (run) fs.rmSync(run.tempDir, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
  run = undefined;
});

type Target = 'process group' | 'npm' | 'start.ts';

const cases: { name: string; signal: NodeJS.Signals; target: Target; closeOutput?: boolean; saysStopped: boolean }[] = [
  { name: 'Ctrl-C: SIGINT to the process group', signal: 'SIGINT', target: 'process group', saysStopped: true },
  { name: 'SIGTERM to the process group', signal: 'SIGTERM', target: 'process group', saysStopped: true },
  // A closed terminal: SIGHUP to the group, and nothing reads the output any more.
  {
    name: 'terminal closed: SIGHUP to the process group, output closed',
    signal: 'SIGHUP',
    target: 'process group',
    closeOutput: true,
    saysStopped: false,
  },
  { name: 'SIGTERM to npm alone', signal: 'SIGTERM', target: 'npm', saysStopped: true },
  { name: 'SIGHUP to npm alone', signal: 'SIGHUP', target: 'npm', saysStopped: true },
  { name: 'SIGKILL to the node process running bin/start.ts', signal: 'SIGKILL', target: 'start.ts', saysStopped: false },
];

it.each(cases)(
  '$name: every process, the temporary directory and the ports are released; the state stays',
  async ({ signal, target, closeOutput, saysStopped }) => {
    run = await startServing();
    const { npm, processes, start, tempDir, stateDir, ports } = run;
    expect(processes.length).toBeGreaterThanOrEqual(4); // npm, bin/start.ts, the Lambda host, cognito-local
    if (closeOutput) {
      npm.stdout!.destroy();
      npm.stderr!.destroy();
    }
    process.kill(target === 'process group' ? -npm.pid! : target === 'npm' ? npm.pid! : start.pid, signal);

    await waitFor(
      async () =>
        processes.every((p) => !running(p)) && !fs.existsSync(tempDir) && (await portFree(ports[0])) && (await portFree(ports[1])),
    );
    expect(processes.filter(running).map((p) => `${p.pid} ${p.cmdline}`)).toEqual([]);
    expect(fs.existsSync(tempDir)).toBe(false);
    expect(readLocalStackState(stateDir)?.endpoint).toBe(`http://${LOCAL_HOST}:${ports[0]}`);
    expect(fs.readdirSync(path.join(stateDir, 'cognito-local', '.cognito', 'db'))).toContain('clients.json');
    for (const port of ports) expect(await portFree(port)).toBe(true);
    if (saysStopped) expect(run.output()).toContain(STOPPED);
  },
);
