/**
 * A request that history, diff or restore turn down as it was given (a host path, a snapshot, a
 * directory to restore into): the admin's to change, so a usage error (64), said in one line.
 * src/cli/errors.ts maps it; the services throw it before they change anything.
 */
export class Refused extends Error {}
