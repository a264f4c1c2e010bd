/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`), enough for Cognito
 * emulators that call triggers through an AWS SDK Lambda client. A handler error is answered as
 * Lambda does: 200 with `X-Amz-Function-Error: Unhandled` and `{errorType, errorMessage}`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type LambdaHandler = (event: unknown) => Promise<unknown>;

export interface InvokeServer {
  readonly port: number;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** `name`, a full function ARN or `name:qualifier` -> the function name. */
export function functionNameOf(pathSegment: string): string {
  const name = decodeURIComponent(pathSegment);
  const afterArn = name.includes(':function:') ? name.slice(name.indexOf(':function:') + ':function:'.length) : name;
  return afterArn.split(':')[0];
}

export function startLambdaInvokeServer(
  functions: Readonly<Record<string, LambdaHandler>>,
  port: number,
  host: string,
): Promise<InvokeServer> {
  const server = http.createServer(async (request, response) => {
    const match = request.method === 'POST' ? INVOKE_PATH.exec(request.url ?? '') : null;
    const name = match ? functionNameOf(match[1]) : undefined;
    const handler = name !== undefined && Object.hasOwn(functions, name) ? functions[name] : undefined;
    if (handler === undefined) {
      reply(response, 404, { Type: 'User', message: `Function not found: ${request.url}` });
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let event: unknown;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      reply(response, 400, { Type: 'User', message: 'Could not parse request body into json' });
      return;
    }
    try {
      reply(response, 200, (await handler(event)) ?? null);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply(response, 200, { errorType: e.name, errorMessage: e.message }, { 'X-Amz-Function-Error': 'Unhandled' });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

function reply(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
