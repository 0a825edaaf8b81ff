import type { Channel, FailureOutcome, Notification, NotificationDraft } from '../domain/notification.js';

/** The delivery table. Every method is one atomic statement. */
export interface NotificationStore {
  /** Stores the drafts of one event; rows that already exist (redelivery) are left alone. Returns how many were new. */
  storeEvent(
    event: { eventId: string; eventKind: string; orderId: string; traceContext: Record<string, string> },
    drafts: NotificationDraft[],
  ): Promise<number>;
  /** Moves up to `limit` due rows to `sending` under a lease (FOR UPDATE SKIP LOCKED) and returns them. */
  claimDue(limit: number, leaseMs: number): Promise<Notification[]>;
  /** Records that the provider accepted the notification (idempotent: the same answer may be written again). */
  markSent(id: string, providerMessageId: string): Promise<void>;
  /** Records a failed attempt: a later `next_attempt_at` (failed) or dead. */
  markFailure(id: string, outcome: FailureOutcome): Promise<void>;
  /** `sending` rows whose lease ran out with no recorded outcome become dead with `reason`; returns them. */
  expireLeases(reason: string): Promise<Notification[]>;
  listDead(limit: number, afterSeq: bigint | undefined): Promise<Array<Notification & { seq: bigint }>>;
  /** Dead → pending with attempts 0, due now. `id` undefined means all. Returns how many. */
  replayDead(id: string | undefined): Promise<number>;
  /** Every notification of one order, oldest first, at most `limit`. */
  listForOrder(orderId: string, limit: number): Promise<Notification[]>;
}

/** A provider adapter; throws DeliveryFailure to say whether a retry makes sense. */
export interface Sender {
  send(notification: Notification): Promise<{ providerMessageId: string }>;
}

export type Senders = Record<Channel, Sender>;

/** Where notifications that will not be sent automatically any more are announced. */
export interface DeadLetterPublisher {
  publishDeadNotification(notification: Notification): Promise<void>;
}

/** Counters the dispatcher reports to; implemented with prom-client. */
export interface DeliveryMetrics {
  sent(channel: Channel): void;
  failed(channel: Channel): void;
  retried(channel: Channel): void;
  dead(channel: Channel): void;
}

/** Test-only fault injection: SIGKILLs the process when it reaches `point`, if configured. */
export type CrashPoint = (point: 'after-store' | 'after-claim' | 'after-send') => void;
