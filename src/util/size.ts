/** Sizes as zfs(8) prints them: base 1024, three significant digits (`1.69M`, `112K`, `0B`). */
const UNITS = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];

export function formatBytes(bytes: number): string {
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  const text = digits === 0 ? v.toFixed(0) : v.toFixed(digits).replace(/\.?0+$/, '');
  return `${bytes < 0 ? '-' : ''}${text}${UNITS[u]}`;
}
