import { createClient } from '@connectrpc/connect';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  Channel,
  NotificationAdminService,
  type Notification,
} from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { createServiceTransport } from '@ordersystem/platform';
import { loadCliConfig } from './config.js';

const USAGE = `usage: notifications-admin <command>
  list-dead            list dead notifications (id, channel, recipient, attempts, last error)
  replay <id>          put one dead notification back to pending with a fresh attempt budget
  replay --all         the same for every dead notification
environment: NOTIFICATIONS_URL (default http://127.0.0.1:50054), the service's internal gRPC port`;

const CALL_TIMEOUT_MS = 30_000;

/** Admin CLI for NotificationAdminService; prints results on stdout, errors on stderr. */
async function main(args: string[]): Promise<number> {
  const client = createClient(
    NotificationAdminService,
    // The services' own transport: a deadline, so an operator is not left waiting on a dead port.
    createServiceTransport({ baseUrl: loadCliConfig().NOTIFICATIONS_URL, timeoutMs: CALL_TIMEOUT_MS }),
  );
  const [command, target] = args;
  if (command === 'list-dead') {
    let pageToken = '';
    do {
      const page = await client.listDeadNotifications({ pageSize: 100, pageToken });
      for (const n of page.notifications) print(line(n));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return 0;
  }
  if (command === 'replay' && target) {
    const req =
      target === '--all'
        ? { target: { case: 'all' as const, value: true } }
        : { target: { case: 'id' as const, value: target } };
    const res = await client.replayDeadNotifications(req);
    print(`replayed ${res.replayedCount}`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

function line(n: Notification): string {
  const when = n.updatedAt ? timestampDate(n.updatedAt).toISOString() : '';
  return [n.id, Channel[n.channel].toLowerCase(), n.recipient, `attempts=${n.attempts}`, when, n.lastError].join('\t');
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
