import { isDatabaseUnavailable, pgCode, pgConstraint } from './pg-errors.js';

const driverError = (code: string, message = 'driver error', extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('PostgreSQL error helpers', () => {
  it('find the SQLSTATE and constraint through wrapping causes', () => {
    const wrapped = new Error('DriverException', {
      cause: driverError('23505', 'duplicate key', { constraint: 'products_sku_key' }),
    });
    expect(pgCode(wrapped)).toBe('23505');
    expect(pgConstraint(wrapped)).toBe('products_sku_key');
    expect(pgCode(new Error('plain'))).toBeUndefined();
    expect(pgCode(driverError('ECONNREFUSED'))).toBeUndefined();
  });

  it.each([
    ['terminated by an administrator', driverError('57P01', 'terminating connection due to administrator command')],
    ['server shutting down', driverError('57P02')],
    ['cannot connect now (recovery)', driverError('57P03')],
    ['connection failure', driverError('08006')],
    ['too many connections', driverError('53300')],
    ['socket refused', driverError('ECONNREFUSED')],
    ['socket reset', driverError('ECONNRESET')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped by the ORM', new Error('DriverException', { cause: driverError('57P01') })],
  ])('%s means the database is unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['unique violation', driverError('23505')],
    ['bad input', driverError('22P02', 'invalid input syntax for type uuid')],
    ['out of range', driverError('22003')],
    ['a bug', new TypeError('x is undefined')],
    ['not an error', 'oops'],
  ])('%s is not an outage', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('survives cause cycles', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = new Error('b', { cause: a });
    expect(isDatabaseUnavailable(a)).toBe(false);
    expect(pgCode(a)).toBeUndefined();
  });
});
