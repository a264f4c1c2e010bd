/** What the CLIs write to, so tests can run them in-process; and the one-line error printer. */
import { HasuraCognitoError } from '../lambda/errors';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Exit code for bad options and inputs. */
export const EXIT_USAGE = 2;

/** Prints a project error as exactly one line and returns EXIT_USAGE; rethrows anything else. */
export function reportUsageError(program: string, error: unknown, io: CliIo): number {
  if (!(error instanceof HasuraCognitoError)) throw error;
  io.stderr(`${program}: ${error.message.replace(/\s*[\r\n]+\s*/g, ' ')}\n`);
  return EXIT_USAGE;
}

/** Runs `main` as the process entry point, setting the exit code. */
export function runAsProcess(main: (argv: readonly string[], io: CliIo) => Promise<number>): void {
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
