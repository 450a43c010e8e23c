/** Where the current budget periods began: 00:00 UTC today and on the 1st of this month. */
export function periodStarts(now: Date): { dayStart: Date; monthStart: Date } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return {
    dayStart: new Date(Date.UTC(year, month, now.getUTCDate())),
    monthStart: new Date(Date.UTC(year, month, 1)),
  };
}
