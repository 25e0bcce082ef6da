/** The code of a failed system call (ENOENT, EEXIST, …); undefined for any other error. */
export const errnoCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;
