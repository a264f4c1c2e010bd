/** Port selection for the local flow: a taken default moves to a free port; a taken explicit port is an error. */
import * as net from 'node:net';
import { PortUnavailableError } from '../../lambda/errors';

/** Resolves to the port once it was bound and released, or rejects with why it can't be bound. */
function probe(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(new PortUnavailableError(port, host, error.code ?? error.message)));
    server.listen(port, host, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The port to use: `requested` if given (an error if it can't be bound, never retried), else
 * `fallback` if free, else any free port.
 */
export async function choosePort(host: string, requested: number | undefined, fallback: number): Promise<number> {
  if (requested !== undefined) return probe(requested, host);
  try {
    return await probe(fallback, host);
  } catch {
    return probe(0, host);
  }
}
