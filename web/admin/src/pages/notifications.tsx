import { useMutation, useQuery } from '@connectrpc/connect-query';
import { Channel, NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { formatTime } from '../format.js';
import { PagedList } from '../ui/paged-list.js';
import { useCursor } from '../ui/use-cursor.js';

/** Dead letters (retries exhausted or a permanent failure) with their reason; replay one or all. */
export function NotificationsPage() {
  const qc = useQueryClient();
  const cursor = useCursor();
  const list = useQuery(NotificationAdminService.method.listDeadNotifications, {
    pageSize: 50,
    pageToken: cursor.token,
  });
  const replay = useMutation(NotificationAdminService.method.replayDeadNotifications, {
    onSuccess: () => (cursor.reset(), qc.invalidateQueries()),
  });
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">Failed notifications</h1>
      <PagedList
        list={list}
        what="dead notifications"
        cursor={cursor}
        error={list.error ?? replay.error}
        status={replay.data && <p role="status">Replayed {replay.data.replayedCount}: they go out again shortly.</p>}
      >
        {(data) => (
          <>
            {data.notifications.length === 0 ? (
              <p>Nothing needs attention: no notification is dead.</p>
            ) : (
              <p>
                <button type="button" onClick={() => replay.mutate({ target: { case: 'all', value: true } })}>
                  Replay all
                </button>
              </p>
            )}
            <ul className="dead">
              {data.notifications.map((n) => (
                <li key={n.id}>
                  <div>
                    <strong>{n.channel === Channel.SMS ? 'SMS' : 'Email'}</strong> to {n.recipient} · {n.attempts}{' '}
                    attempts · last {formatTime(n.updatedAt)}
                  </div>
                  <div className="reason">{n.lastError || 'no error recorded'}</div>
                  <button
                    type="button"
                    onClick={() => replay.mutate({ target: { case: 'id', value: n.id } })}
                    aria-label={`Replay the ${n.channel === Channel.SMS ? 'SMS' : 'email'} to ${n.recipient}`}
                  >
                    Replay
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </PagedList>
    </section>
  );
}
