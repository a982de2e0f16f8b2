// A scripted stand-in for the Anthropic API in tests: node:http on 127.0.0.1 (a free port), answers
// each request with the next scripted response, records every request, and closes after the test.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export type StubResponse = { status?: number; headers?: Record<string, string>; body: unknown };
/** 'hang': read the request and never answer (a hung API); closed with the server. */
export type StubEntry = StubResponse | 'hang';
/** A fixed list, answered in order, or a function of the request (0-based index and body), e.g. a storm by the clock. */
export type StubScript = StubEntry[] | ((index: number, body: any) => StubEntry | undefined);
export type StubRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: any };
export type StubServer = {
  /** Base URL for the SDK, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
};

/** Starts the stub; call it inside a test (it registers its own close with onTestFinished). */
export async function startStubServer(script: StubScript): Promise<StubServer> {
  const queue = Array.isArray(script) ? [...script] : [];
  const requests: StubRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : null;
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      const scripted = Array.isArray(script) ? queue.shift() : script(requests.length - 1, body);
      if (scripted === 'hang') return;
      const next = scripted ?? {
        // A 400, not a 5xx: running out of script is a test's mistake, not an outage to wait out.
        status: 400,
        body: { type: 'error', error: { type: 'invalid_request_error', message: `stub server: no scripted response left for request ${requests.length}` } },
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
