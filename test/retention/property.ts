import type { ExecutionContext } from 'ava';
import fc from 'fast-check';

/** Passes when `property` holds; when it does not, ava shows fast-check's shrunk counterexample. */
export function assertProperty<T>(t: ExecutionContext, property: fc.IProperty<T>, parameters?: fc.Parameters<T>): void {
  t.notThrows(() => fc.assert(property, parameters));
}
