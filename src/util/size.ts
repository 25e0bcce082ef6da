/** Sizes as zfs(8) prints them: base 1024, three significant digits (`1.69M`, `112K`, `0B`). */
const UNITS = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];

const digitsFor = (v: number, unit: number): number => (unit === 0 || v >= 99.5 ? 0 : v >= 9.995 ? 1 : 2);

export function formatBytes(bytes: number): string {
  let v = Math.abs(bytes);
  let u = 0;
  // move up while the number would print as 1024 or more in this unit
  while (u < UNITS.length - 1 && Number(v.toFixed(digitsFor(v, u))) >= 1024) {
    v /= 1024;
    u++;
  }
  const digits = digitsFor(v, u);
  const text = digits === 0 ? v.toFixed(0) : v.toFixed(digits).replace(/\.?0+$/, '');
  return `${bytes < 0 ? '-' : ''}${text}${UNITS[u]}`;
}
