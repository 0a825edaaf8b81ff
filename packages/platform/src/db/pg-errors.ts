/** Follows `cause` links (MikroORM wraps driver errors) and returns the first match of `pick`. */
function findInChain<T>(err: unknown, pick: (e: Record<string, unknown>) => T | undefined): T | undefined {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const found = pick(current as Record<string, unknown>);
    if (found !== undefined) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** PostgreSQL SQLSTATE of a driver error (e.g. 23505 unique_violation), if any. */
export function pgCode(err: unknown): string | undefined {
  return findInChain(err, (e) => (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined));
}

/** Name of the violated constraint of a driver error, if any. */
export function pgConstraint(err: unknown): string | undefined {
  return findInChain(err, (e) => (typeof e.constraint === 'string' ? e.constraint : undefined));
}

/**
 * SQLSTATE classes that mean "the database went away", not "the request was wrong": connection
 * exceptions (08), operator intervention such as pg_terminate_backend, shutdown or crash recovery
 * (57P01–57P03), and too many connections (53300).
 */
const CONNECTION_STATES = /^(08...|57P0[1-4]|53300)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const DRIVER_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/**
 * True when a database call failed because the connection was lost or could not be made: the
 * client should hear `unavailable` (retry later), never `internal`.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  return (
    findInChain(err, (e) => {
      if (typeof e.code === 'string' && (CONNECTION_STATES.test(e.code) || SOCKET_CODES.has(e.code))) return true;
      if (typeof e.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
      return undefined;
    }) === true
  );
}
