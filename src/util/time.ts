/** ISO 8601 in UTC without milliseconds, as zbk's JSON writes instants. */
export function isoSeconds(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
