import { randomUUID } from 'node:crypto';
import { type Client, createClient } from '@connectrpc/connect';
import {
  Channel,
  NotificationAdminService,
  NotificationStatus,
} from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { inMemoryTransport, rpcFailure } from '@ordersystem/testing';
import { aDraft, anEvent } from '../../test/contracts/notification-store.contract';
import { createMemoryNotificationStore } from '../../test/memory/notification-store';
import { routes } from '../routes';

describe('notifications admin routes over an in-memory store', () => {
  let store: ReturnType<typeof createMemoryNotificationStore>;
  let admin: Client<typeof NotificationAdminService>;

  beforeEach(() => {
    store = createMemoryNotificationStore();
    admin = createClient(NotificationAdminService, inMemoryTransport(routes({ store })));
  });

  /** `count` dead notifications, oldest first. */
  async function deadNotifications(count: number): Promise<string[]> {
    await store.storeEvent(
      anEvent(),
      Array.from({ length: count }, () => aDraft()),
    );
    const claimed = await store.claimDue(count, 60_000);
    for (const n of claimed)
      await store.markFailure(n.id, {
        status: 'dead',
        attempts: 1,
        nextAttemptAt: new Date(),
        error: 'permanent: Twilio 400 code 21211',
      });
    return claimed.map((n) => n.id);
  }

  it('lists dead notifications oldest first, 20 to a page by default, with a token for the next page', async () => {
    const ids = await deadNotifications(25);
    const first = await admin.listDeadNotifications({});
    expect(first.notifications.map((n) => n.id)).toEqual(ids.slice(0, 20));
    expect(first.notifications[0]).toMatchObject({
      channel: Channel.SMS,
      status: NotificationStatus.DEAD,
      attempts: 1,
      lastError: 'permanent: Twilio 400 code 21211',
    });
    const second = await admin.listDeadNotifications({ pageToken: first.nextPageToken });
    expect(second.notifications.map((n) => n.id)).toEqual(ids.slice(20));
    expect(second.nextPageToken).toBe('');
    expect((await admin.listDeadNotifications({ pageSize: 100 })).notifications).toHaveLength(25);
  });

  it.each([
    ['a page size over 100', { pageSize: 101 }, 'page_size'],
    ['a page token it never handed out', { pageToken: 'abc' }, 'page_token'],
  ])('refuses %s with invalid_argument on the field', async (_case, req, field) => {
    expect(await rpcFailure(admin.listDeadNotifications(req))).toEqual({ code: 'InvalidArgument', fields: [field] });
  });

  it('replays one dead notification back to pending, and answers not_found for an id that is not dead', async () => {
    const [id, other] = await deadNotifications(2);
    expect((await admin.replayDeadNotifications({ target: { case: 'id', value: id! } })).replayedCount).toBe(1);
    expect(store.rows.find((r) => r.id === id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(store.rows.find((r) => r.id === other)?.status).toBe('dead');
    expect((await rpcFailure(admin.replayDeadNotifications({ target: { case: 'id', value: id! } }))).code).toBe(
      'NotFound',
    );
    expect(
      (await rpcFailure(admin.replayDeadNotifications({ target: { case: 'id', value: randomUUID() } }))).code,
    ).toBe('NotFound');
  });

  it('replays every dead notification at once', async () => {
    await deadNotifications(3);
    expect((await admin.replayDeadNotifications({ target: { case: 'all', value: true } })).replayedCount).toBe(3);
    expect((await admin.listDeadNotifications({})).notifications).toHaveLength(0);
    expect((await admin.replayDeadNotifications({ target: { case: 'all', value: true } })).replayedCount).toBe(0);
  });

  it.each([
    ['an id that is not a UUID', { target: { case: 'id', value: 'nope' } }, 'id'],
    ['all = false', { target: { case: 'all', value: false } }, 'all'],
    ['no target', {}, 'target'],
  ] as const)('refuses a replay with %s as invalid_argument on the field', async (_case, req, field) => {
    expect(await rpcFailure(admin.replayDeadNotifications(req))).toEqual({ code: 'InvalidArgument', fields: [field] });
  });

  it("lists an order's notifications with their order and event kind, and refuses an order id that is not a UUID", async () => {
    const event = anEvent();
    await store.storeEvent(event, [
      aDraft(),
      aDraft({ channel: 'email', recipient: 'ops@shop.example', subject: 'Order' }),
    ]);
    await store.storeEvent(anEvent(), [aDraft()]);
    const { notifications } = await admin.listOrderNotifications({ orderId: event.orderId });
    expect(notifications.map((n) => [n.channel, n.status, n.orderId, n.eventKind])).toEqual([
      [Channel.SMS, NotificationStatus.PENDING, event.orderId, 'shipped'],
      [Channel.EMAIL, NotificationStatus.PENDING, event.orderId, 'shipped'],
    ]);
    expect(await rpcFailure(admin.listOrderNotifications({ orderId: 'nope' }))).toEqual({
      code: 'InvalidArgument',
      fields: ['order_id'],
    });
  });
});
