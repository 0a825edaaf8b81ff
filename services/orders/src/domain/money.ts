/**
 * Money arithmetic in integer minor units (bigint). Nothing here ever touches a float, so
 * totals are exact and `subtotal + tax === total` holds by construction.
 */

/** The largest amount a stored figure (PostgreSQL bigint) can hold. */
export const MAX_MINOR = 2n ** 63n - 1n;

/** One ten-thousandth: tax rates are stored in basis points (1600 = 16 %). */
export const BASIS_POINTS = 10_000n;

/**
 * `numerator / denominator` rounded to the nearest integer, ties (exactly .5) rounded away from
 * zero ("half-up", commercial rounding as printed on invoices). Both arguments must be >= 0.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n)
    throw new RangeError('divideRoundHalfUp expects numerator >= 0 and denominator > 0');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return remainder * 2n >= denominator ? quotient + 1n : quotient;
}

/** Tax on a tax-exclusive amount at `rateBp` basis points, rounded half-up to a whole minor unit. */
export function taxOf(amountMinor: bigint, rateBp: number): bigint {
  return divideRoundHalfUp(amountMinor * BigInt(rateBp), BASIS_POINTS);
}
