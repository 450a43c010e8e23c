/** Money as people read it on a bill: two decimals and the currency, `12.40 USD`. */
export function formatMoney(value: number, currency: string): string {
  return `${value.toFixed(2)} ${currency}`;
}

/** Hours without noise: `4 h`, `0.5 h`, `1.25 h`. */
export function formatHours(hours: number): string {
  return `${Number(hours.toFixed(2))} h`;
}
