/** A date and time in the reader's locale: "1 Dec 2026, 10:04". */
export const dateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday"… */
export function ago(iso: string): string {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  if (seconds > -60) return 'just now';
  for (const [unit, size] of [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86_400],
  ] as const) {
    const value = Math.round(seconds / size);
    if (unit === 'day' || Math.abs(value) < (unit === 'minute' ? 60 : 24)) {
      return relative.format(value, unit);
    }
  }
  return dateTime.format(new Date(iso));
}
