import type { Clock, LoginAttempt, LoginAttemptStore } from '../../src/app/ports';

/** Login attempts in memory: single use, and refused once expired, like the PostgreSQL store. */
export function createMemoryLoginAttemptStore(clock: Clock = () => new Date()): LoginAttemptStore {
  const attempts = new Map<string, LoginAttempt>();
  return {
    async save(attempt) {
      attempts.set(attempt.state, { ...attempt });
    },
    async consume(state) {
      const attempt = attempts.get(state);
      attempts.delete(state);
      return attempt && attempt.expiresAt > clock() ? attempt : undefined;
    },
  };
}
