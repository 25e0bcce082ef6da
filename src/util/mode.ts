/** A file's permission bits as chmod(1) and ls(1) write them: `0640`, `1777`. */
export const modeText = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');
