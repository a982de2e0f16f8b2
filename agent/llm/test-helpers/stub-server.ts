// A scripted stand-in for the Anthropic API in tests: node:http on 127.0.0.1 (a free port), answers
// each request with the next scripted response, records every request, and closes after the test.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export type StubResponse = { status?: number; headers?: Record<string, string>; body: unknown };
export type StubRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: any };
export type StubServer = {
  /** Base URL for the SDK, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
};

/** Starts the stub; call it inside a test (it registers its own close with onTestFinished). */
export async function startStubServer(script: StubResponse[]): Promise<StubServer> {
  const queue = [...script];
  const requests: StubRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: text ? JSON.parse(text) : null });
      const next = queue.shift() ?? {
        status: 500,
        headers: { 'x-should-retry': 'false' },
        body: { type: 'error', error: { type: 'api_error', message: `stub server: no scripted response left for request ${requests.length}` } },
      };
      response.writeHead(next.status ?? 200, { 'content-type': 'application/json', 'request-id': `req_stub_${requests.length}`, ...next.headers });
      response.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    return closed;
  };
  onTestFinished(close);
  return { url: `http://127.0.0.1:${port}`, requests, close };
}
