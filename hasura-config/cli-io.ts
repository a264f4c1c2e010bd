/** What the CLIs write to, so tests can run them in-process; and the one-line error printer. */
import { HasuraCognitoError } from '../lambda/errors';
import { printable } from './terminal-text';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, for options that read their value from it (`--token -`). */
  readStdin?(): Promise<string>;
}

/** More than any token; a larger input is not a token, and is not read to the end. */
export const MAX_STDIN_BYTES = 64 * 1024;

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    // At a terminal, say what is awaited rather than wait in silence.
    if (process.stdin.isTTY) process.stderr.write('Paste the token, then press Enter and Ctrl-D:\n');
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if (bytes > MAX_STDIN_BYTES) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  },
};

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
