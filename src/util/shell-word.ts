/** A word as sh(1) reads it back, quoted only when it must be: for commands zbk prints for the admin to run. */
export function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}
