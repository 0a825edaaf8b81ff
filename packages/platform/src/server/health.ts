import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import {
  Health,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as Status,
  type HealthCheckResponse,
} from '@ordersystem/contracts/health/v1/health';
import type { Readiness } from './readiness.js';

/** Kubernetes' liveness probe asks for this name: alive while the process can answer at all. */
export const LIVENESS_SERVICE = 'liveness';
const WATCH_POLL_MS = 2_000;

/**
 * grpc.health.v1.Health backed by the same Readiness as /readyz. The empty service name and
 * every registered service report readiness; unknown names get not_found, as the spec says.
 */
export function registerHealth(router: ConnectRouter, readiness: Readiness, services: () => string[]): void {
  const known = (name: string) => name === '' || name === LIVENESS_SERVICE || services().includes(name);
  const status = async (name: string): Promise<Status> => {
    if (name === LIVENESS_SERVICE) return Status.SERVING;
    return (await readiness.report()).ready ? Status.SERVING : Status.NOT_SERVING;
  };
  const response = (s: Status): HealthCheckResponse => create(HealthCheckResponseSchema, { status: s });

  router.service(Health, {
    async check(req) {
      if (!known(req.service)) throw new ConnectError(`unknown service ${req.service}`, Code.NotFound);
      return response(await status(req.service));
    },
    async *watch(req, ctx: HandlerContext) {
      if (!known(req.service)) {
        yield response(Status.SERVICE_UNKNOWN);
        return;
      }
      let last: Status | undefined;
      while (!ctx.signal.aborted) {
        const current = await status(req.service);
        if (current !== last) yield response(current);
        last = current;
        await sleep(WATCH_POLL_MS, ctx.signal);
      }
    },
    async list() {
      const names = ['', ...services()];
      const entries = await Promise.all(names.map(async (n) => [n, response(await status(n))] as const));
      return { statuses: Object.fromEntries(entries) };
    },
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
