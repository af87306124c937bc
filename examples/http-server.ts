/*
 * Example: the command handler behind an HTTP route, with nothing but node:http.
 *
 *   POST /jobs/:jobId/commands   body { "type", "data" }   → 200 { version, events, job }
 *     X-Party-Id       who is acting (stands in for your authentication: never trust an actor in the body)
 *     Idempotency-Key  a retried request returns the first response (Idempotent-Replayed: true)
 *     If-Match         "<version>": decide only if the job is still at the version the client saw
 *   GET  /jobs/:jobId            → 200 { job } with ETag "<version>", or 404
 *
 * Run it: `npx tsx examples/http-server.ts` (port 3000, or $PORT). test/examples/http-server.test.ts runs it.
 */
// #region server
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createCommandHandler,
  createInMemoryEventStore,
  isDomainError,
  summarize,
  type CommandHandler,
  type ErrorCode,
  type HandleOptions,
} from 'milestone-escrow';

/** The HTTP status of each way a command can fail. */
function statusOf(code: ErrorCode, ifMatch: boolean): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'NOT_A_PARTY':
    case 'FORBIDDEN':
      return 403;
    case 'CONCURRENCY_CONFLICT':
      return ifMatch ? 412 : 409; // 409 only after the handler's retries ran out
    case 'IDEMPOTENCY_KEY_REUSED':
      return 422;
    default:
      return 409; // a rule of the job refuses the command in its current state
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage, limit = 1_000_000): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > limit) throw Object.assign(new Error('body too large'), { status: 413 });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw Object.assign(new Error('body is not JSON'), { status: 400 });
  }
}

export interface AppOptions {
  readonly handler?: CommandHandler;
  /** The server's clock: commands are stamped with it (`at`), never with the client's. */
  readonly now?: () => string;
}

/** The request listener: plug it into node:http, or adapt it to your framework's route. */
export function createApp(
  options: AppOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const handler = options.handler ?? createCommandHandler({ store: createInMemoryEventStore() });
  const now = options.now ?? (() => new Date().toISOString());

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/jobs\/([^/]+)(\/commands)?$/.exec(url.pathname);
    if (match === null) {
      send(res, 404, { code: 'NOT_FOUND', message: 'no such route' });
      return;
    }
    const jobId = decodeURIComponent(match[1] ?? '');
    const ifMatch = req.headers['if-match'];
    try {
      if (req.method === 'GET' && match[2] === undefined) {
        const { state, version } = await handler.load(jobId);
        if (version === 0) {
          send(res, 404, { code: 'NOT_FOUND', message: `no job ${jobId}` });
          return;
        }
        send(res, 200, { job: summarize(state) }, { etag: `"${String(version)}"` });
        return;
      }
      if (req.method !== 'POST' || match[2] === undefined) {
        send(res, 405, {
          code: 'METHOD_NOT_ALLOWED',
          message: 'GET /jobs/:id or POST /jobs/:id/commands',
        });
        return;
      }

      const body = (await readJson(req)) as { type?: unknown; data?: unknown };
      const actor = String(req.headers['x-party-id'] ?? '');
      const command = { type: body.type, actor, at: now(), data: body.data };
      const key = req.headers['idempotency-key'];
      const handleOptions: HandleOptions = {
        ...(typeof key === 'string'
          ? { idempotencyKey: key, idempotencyFingerprint: { actor, body } }
          : {}),
        ...(typeof ifMatch === 'string'
          ? { expectedVersion: Number(ifMatch.replaceAll('"', '')) }
          : {}),
        ...(typeof req.headers['x-correlation-id'] === 'string'
          ? { correlationId: req.headers['x-correlation-id'] }
          : {}),
      };
      const result = await handler.handle(jobId, command as never, handleOptions);
      send(
        res,
        200,
        { version: result.version, events: result.events, job: summarize(result.state) },
        {
          etag: `"${String(result.version)}"`,
          ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
        },
      );
      return;
    } catch (error) {
      if (isDomainError(error)) {
        send(res, statusOf(error.code, ifMatch !== undefined), error.toJSON());
        return;
      }
      const status = (error as { status?: number }).status;
      if (status !== undefined) {
        send(res, status, { code: 'BAD_REQUEST', message: (error as Error).message });
        return;
      }
      send(res, 500, { code: 'INTERNAL', message: 'internal error' });
      return;
    }
  };
}

/** A ready server (call `.listen(port)`). */
export function createAppServer(options?: AppOptions): Server {
  const app = createApp(options);
  return createServer((req, res) => void app(req, res));
}
// #endregion server

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const port = Number(process.env['PORT'] ?? 3000);
  createAppServer().listen(port, () =>
    process.stdout.write(
      `milestone-escrow example listening on http://localhost:${String(port)}\n`,
    ),
  );
}
