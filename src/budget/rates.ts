import { type WorkspaceSettings } from "./schema.js";

export interface Rate {
  /** Price per device-hour. */
  rate: number;
  currency: string;
  /** The `rates` key that matched, or "default_rate". */
  key: string;
}

/**
 * The price of one hour of a device: the longest `rates` key found (case-insensitively) in the device
 * name, so `H100 NVL` beats `H100`; else `default_rate`; else undefined (unpriced).
 */
export function rateFor(
  settings: Pick<WorkspaceSettings, "rates" | "default_rate" | "currency">,
  deviceType: string,
): Rate | undefined {
  const name = deviceType.toLowerCase();
  const keys = Object.keys(settings.rates).filter((key) => name.includes(key.toLowerCase()));
  const key = keys.sort((a, b) => b.length - a.length)[0];
  if (key !== undefined) return { rate: settings.rates[key]!, currency: settings.currency, key };
  if (settings.default_rate === null) return undefined;
  return { rate: settings.default_rate, currency: settings.currency, key: "default_rate" };
}
