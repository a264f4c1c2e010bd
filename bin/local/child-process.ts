/**
 * Children of the local flow: spawned directly with node (never through npx, whose process tree
 * outlives a kill), waited for until ready, and watched so that a crash stops everything. Each one
 * exits by itself when this process is gone, even after a SIGKILL (exit-with-parent.cjs).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { ChildProcessError } from '../../lambda/errors';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Last lines of its stderr, for the message when it fails. */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** The preload that makes a child exit when its parent is gone. */
const EXIT_WITH_PARENT = path.join(__dirname, 'exit-with-parent.cjs');
/** Read by exit-with-parent.cjs: the directory an orphaned child removes before it exits. */
export const REMOVE_ON_ORPHAN_ENV = 'HASURA_COGNITO_REMOVE_ON_ORPHAN';

export interface ChildOptions {
  name: string;
  /** Node's arguments: the script and its options. */
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** A directory the child removes if it outlives this process (which would have removed it). */
  removeOnOrphan?: string;
  /** Resolves when the child is ready; the start fails if the child exits first or the time is up. */
  ready(child: ChildProcess): Promise<void>;
  readyTimeoutMs: number;
}

export async function startChild(options: ChildOptions): Promise<Child> {
  // Its own process group: a Ctrl-C in the terminal reaches only the parent, which then stops the
  // children in order instead of seeing them die as if they had crashed.
  // The IPC channel is never used for messages: its closing tells the child that this process is gone.
  const env = { ...options.env, [REMOVE_ON_ORPHAN_ENV]: options.removeOnOrphan ?? '' };
  const child = spawn(process.execPath, ['--require', EXIT_WITH_PARENT, ...options.args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  // Besides: if the parent exits without stopping it (an uncaught error, process.exit).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  // stdio is ['ignore', 'pipe', 'pipe', 'ipc'], so both streams exist; the types cannot know it.
  const { stdout, stderr: stderrStream } = child as typeof child & { stdout: Readable; stderr: Readable };
  let stderr = '';
  stderrStream.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const tail = () => stderr.trim().split('\n').slice(-5).join('\n');
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      const how = signal ?? `code ${code}`;
      reject(
        new ChildProcessError(
          `${options.name} exited before it was ready (${how})${tail() ? `: ${tail()}` : ''}`,
          'running until ready',
          `an exit (${how})`,
        ),
      );
    });
    child.once('error', (error) =>
      reject(new ChildProcessError(`${options.name} could not start: ${error.message}`, 'a started process', error.message)),
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ChildProcessError(
            `${options.name} was not ready within ${options.readyTimeoutMs} ms`,
            `ready within ${options.readyTimeoutMs} ms`,
            'not ready',
          ),
        ),
      options.readyTimeoutMs,
    );
  });
  const handle: Child = {
    name: options.name,
    process: child,
    stderrTail: tail,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
  try {
    await Promise.race([options.ready(child), exited, timeout]);
  } catch (error) {
    await handle.stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  exited.catch(() => undefined); // a later exit is reported through the crash watcher instead
  stdout.resume(); // drain its log so a full pipe never blocks it
  return handle;
}

/** Resolves once a line matching `pattern` appears on the child's stdout. */
export function stdoutLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  const stdout = child.stdout;
  if (stdout === null) return Promise.reject(new ChildProcessError('the child has no stdout pipe', 'a piped stdout', 'none'));
  return new Promise((resolve) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = pattern.exec(buffer);
      if (match) {
        stdout.off('data', onData);
        stdout.resume();
        resolve(match);
      }
    };
    stdout.on('data', onData);
  });
}

/** Polls `url` until it answers 200, for as long as the child runs. */
export async function httpReady(url: string, child: ChildProcess): Promise<void> {
  while (child.exitCode === null && child.signalCode === null) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
