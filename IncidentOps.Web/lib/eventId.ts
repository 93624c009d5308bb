/**
 * Redis stream ids are `"<ms>-<seq>"`. They must be compared numerically:
 * as strings, "999-0" would sort after "1000-0".
 */

const STREAM_ID = /^(\d+)(?:-(\d+))?$/;

/** Compares two non-negative decimal strings without losing precision (ids can exceed 2^53). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isEventId(id: unknown): id is string {
  return typeof id === 'string' && STREAM_ID.test(id);
}

/** Negative when a is older than b, 0 when equal, positive when newer. A missing id is older than any id. */
export function compareEventIds(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
  const ma = STREAM_ID.exec(a);
  const mb = STREAM_ID.exec(b);
  if (!ma || !mb) throw new Error(`Not a stream id: ${!ma ? a : b}`);
  return compareDigits(ma[1], mb[1]) || compareDigits(ma[2] ?? '0', mb[2] ?? '0');
}
