/** What the CLIs write to, so tests can run them in-process; and the one-line error printer. */
import { CognitoRequestFailedError, HasuraCognitoError } from '../lambda/errors';
import { printable } from './terminal-text';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, for options that read their value from it (`--token -`); `what` names it in a prompt at a terminal. */
  readStdin?(what: string): Promise<string>;
  /**
   * Asks for a secret at the terminal, echo off (the prompt on stderr); `undefined` when standard
   * input is not a terminal. Resolves `undefined` when the person gives up (Ctrl-C, Ctrl-D).
   */
  readonly promptSecret?: (prompt: string) => Promise<string | undefined>;
}

/** More than any token; a larger input is not a token, and is not read to the end. */
export const MAX_STDIN_BYTES = 64 * 1024;

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async (what) => {
    // At a terminal, say what is awaited rather than wait in silence.
    if (process.stdin.isTTY) process.stderr.write(`Paste ${what}, then press Enter and Ctrl-D:\n`);
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if (bytes > MAX_STDIN_BYTES) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  },
  promptSecret: process.stdin.isTTY ? promptAtTerminal : undefined,
};

/** Reads one line from the terminal in raw mode, so nothing typed is echoed; Enter ends it, Ctrl-C or Ctrl-D gives up. */
function promptAtTerminal(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    const finish = (value: string | undefined) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const character of chunk.toString('utf8')) {
        if (character === '\r' || character === '\n') return finish(line);
        if (character === '\u0003' || character === '\u0004') return finish(undefined);
        if (character === '\u007f' || character === '\b') line = [...line].slice(0, -1).join('');
        else if (character >= ' ') line += character;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** Exit code for bad options and inputs. */
export const EXIT_USAGE = 2;

/**
 * Prints a project error as exactly one line and returns EXIT_USAGE; rethrows anything else.
 * Messages embed option values, file contents and fetch errors: a message holding a newline or
 * any other unsafe character is printed quoted and escaped, so it stays one visible line.
 */
export function reportUsageError(program: string, error: unknown, io: CliIo): number {
  if (!(error instanceof HasuraCognitoError)) throw error;
  io.stderr(`${program}: ${printable(error.message)}\n`);
  return EXIT_USAGE;
}

/** Exit code for an operation Cognito refused or could not be asked (the arguments were fine). */
export const EXIT_FAILED = 1;

/**
 * Prints a project error as exactly one line, as reportUsageError does, and returns its exit code:
 * EXIT_FAILED for a request Cognito refused or that could not be sent, EXIT_USAGE for the rest.
 */
export function reportError(program: string, error: unknown, io: CliIo): number {
  const code = reportUsageError(program, error, io);
  return error instanceof CognitoRequestFailedError ? EXIT_FAILED : code;
}

/** Runs `main` as the process entry point, setting the exit code. */
export function runAsProcess(main: (argv: readonly string[], io: CliIo) => Promise<number>): void {
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // An unexpected error's text may quote a token or a JWKS: each of its lines is escaped.
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${text.split('\n').map(printable).join('\n')}\n`);
      process.exitCode = 70;
    },
  );
}
