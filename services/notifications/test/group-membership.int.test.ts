import { randomBytes } from 'node:crypto';
import { AssignerProtocol, type Consumer, Kafka, logLevel } from 'kafkajs';
import { type Harness, anOrderEvent, eventually, startHarness } from './fixtures';

jest.setTimeout(90_000);

/** The measured times, for the record (not asserted: this machine's speed varies with its load). */
const note = (line: string) => process.stderr.write(`[group-membership] ${line}\n`);

/** Long enough that nothing in these tests can be explained by a member's session running out. */
const SESSION_TIMEOUT_MS = 30_000;

/**
 * Replicas come and go in a rolling update. A new replica must be ready without waiting for its
 * consumer group to rebalance, and a stopped one must leave the group so the others take its
 * partitions at once rather than after its session timeout.
 */
describe('notifications replicas in one consumer group', () => {
  let h: Harness;
  let kafka: Kafka;
  // Each test its own group, so one cannot leave a member behind in another's.
  let groupId = '';
  const smsTo = (phone: string) => h.twilio.messages.filter((m) => m.to === phone);
  const ready = async (svc: { opsPort: number }) => (await fetch(`http://127.0.0.1:${svc.opsPort}/readyz`)).ok;

  beforeAll(async () => {
    h = await startHarness('membership');
    kafka = new Kafka({ clientId: 'membership-test', brokers: h.infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  });
  beforeEach(() => {
    groupId = `${h.topic}.group-${randomBytes(3).toString('hex')}`;
  });
  afterAll(() => h?.close());

  async function describeGroup() {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0]!;
      const assigned = group.members.map((m) =>
        m.memberAssignment.length
          ? Object.values(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}).flat().length
          : 0,
      );
      return { state: group.state, members: group.members.length, assigned };
    } finally {
      await admin.disconnect();
    }
  }

  it('is ready while its group is still rebalancing, and consumes once the join completes', async () => {
    // A member of the same group that is busy with a message and cannot rejoin until released:
    // the group cannot finish a rebalance before then, so neither can a new replica's join.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let busy = false;
    const blocker: Consumer = kafka.consumer({
      groupId,
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
    await blocker.connect();
    await blocker.subscribe({ topic: h.topic, fromBeginning: true });
    await blocker.run({
      autoCommit: false,
      eachMessage: async () => {
        busy = true;
        await released;
      },
    });
    const held = anOrderEvent('shipped');
    await h.produce(held);
    await eventually(() => busy);

    const startedAt = Date.now();
    const svc = await h.start({ KAFKA_GROUP_ID: groupId, KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) });
    await eventually(async () => (await ready(svc)) && (await describeGroup()).state === 'PreparingRebalance');
    const readyAfterMs = Date.now() - startedAt;
    // Still rebalancing: the blocker holds it, and its session cannot have run out yet.
    expect((await describeGroup()).state).toBe('PreparingRebalance');
    expect(readyAfterMs).toBeLessThan(SESSION_TIMEOUT_MS);
    expect(smsTo(held.order!.customer!.phoneNumber)).toHaveLength(0);

    release();
    await blocker.disconnect();
    // The blocker committed nothing, so the replica gets the held event as well as a new one.
    const next = anOrderEvent('delivered');
    await h.produce(next);
    await eventually(
      () =>
        smsTo(held.order!.customer!.phoneNumber).length === 1 && smsTo(next.order!.customer!.phoneNumber).length === 1,
    );
    note(`notifications ready ${readyAfterMs} ms after spawn while its group was rebalancing`);
    expect(await svc.stop('SIGTERM')).toBe(0);
    expect(smsTo(held.order!.customer!.phoneNumber)).toHaveLength(1);
  });

  it('leaves the group on SIGTERM, so the other replica takes over its partitions before a session timeout', async () => {
    const env = { KAFKA_GROUP_ID: groupId, KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) };
    const [a, b] = [await h.start(env), await h.start(env)];
    await eventually(async () => {
      const g = await describeGroup();
      return g.state === 'Stable' && g.members === 2 && g.assigned.every((n) => n > 0);
    }, 30_000);

    const stoppedAt = Date.now();
    expect(await a.stop('SIGTERM')).toBe(0);
    const exitMs = Date.now() - stoppedAt;
    // Gone from the group as soon as the process is gone: it left, nobody waits for its session.
    expect((await describeGroup()).members).toBe(1);

    const events = Array.from({ length: 6 }, () => anOrderEvent('shipped'));
    for (const event of events) await h.produce(event);
    await eventually(
      () => events.every((e) => smsTo(e.order!.customer!.phoneNumber).length === 1),
      SESSION_TIMEOUT_MS - (Date.now() - stoppedAt),
    );
    const takeoverMs = Date.now() - stoppedAt;
    expect(await describeGroup()).toMatchObject({ members: 1, assigned: [2] });
    note(
      `SIGTERM → exit ${exitMs} ms; every event on both partitions delivered by the other replica ${takeoverMs} ms after the SIGTERM`,
    );
    expect(await b.stop('SIGTERM')).toBe(0);
    for (const e of events) expect(smsTo(e.order!.customer!.phoneNumber)).toHaveLength(1);
  });
});
