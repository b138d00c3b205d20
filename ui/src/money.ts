// Money as the window takes and shows it: 元 with at most two decimals,
// kept as integer fen (分) — never through floating point.

export type MoneyReading = { fen: number } | { error: string };

/** 1080, 1080.5, 1,080.50 or ¥1080 as fen; anything else an error in Chinese. */
export function readYuan(text: string): MoneyReading {
  const typed = text.trim().replace(/^[¥￥]/, "").replace(/,/g, "");
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(typed);
  if (!match) return { error: "金额请写作 300 或 300.50（元）" };
  const [, whole, cents = ""] = match as unknown as [string, string, string | undefined];
  return { fen: Number(whole) * 100 + Number(cents.padEnd(2, "0")) };
}

/** Fen as 元 with two decimals: 108000 → 1080.00. */
export function showYuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
