/** A comment's date: "3 minutes ago" within the last week, else the date and time. */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

export function dateFormatter(lang: string) {
  const full = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  return {
    full_: (iso: string) => full.format(new Date(iso)),
    short_(iso: string): string {
      let amount = (Date.parse(iso) - Date.now()) / 1000;
      for (const [unit, size] of UNITS) {
        // Under a minute reads as "now"; a clock slightly ahead must not say "in 2 minutes".
        if (Math.abs(amount) < size) {
          return relative.format(unit === 'second' ? 0 : Math.min(0, Math.trunc(amount)), unit);
        }
        amount /= size;
      }
      return full.format(new Date(iso));
    },
  };
}

export type Dates = ReturnType<typeof dateFormatter>;
