// How figures are written on the pages.

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 });
const whole = new Intl.NumberFormat("en-US");

export const money = (value: number | null | undefined): string => (value === null || value === undefined ? "–" : usd.format(value));
export const count = (value: number | null | undefined): string => (value === null || value === undefined ? "–" : whole.format(value));
export const ms = (value: number | null | undefined): string => (value === null || value === undefined ? "–" : `${whole.format(value)} ms`);
export const percent = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined ? "–" : `${value.toFixed(digits)}%`);
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : "–");
